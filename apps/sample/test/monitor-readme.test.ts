import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const sample = new URL('../', import.meta.url).pathname;
const readme = readFileSync(new URL('../../../packages/monitor/README.md', import.meta.url), 'utf8');

describe("the monitor README's first example", () => {
  // The sample depends on every package the example imports, the connectors and Fastify included.
  it('type-checks as a module of the sample, imports and all', () => {
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const config = ts.getParsedCommandLineOfConfigFile(
      `${sample}tsconfig.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const file = `${sample}src/monitor-readme-example.ts`;
    const host = ts.createCompilerHost(config.options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (name) => name === file || fileExists(name);
    host.readFile = (name) => (name === file ? example : readFile(name));
    host.getSourceFile = (name, language, ...rest) =>
      name === file ? ts.createSourceFile(name, example, language) : getSourceFile(name, language, ...rest);
    const program = ts.createProgram([file], config.options, host);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
  }, 60_000);
});
