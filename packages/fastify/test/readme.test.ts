import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Type-checks the first `ts` block of `readmeUrl` as a module in `dir` (its tsconfig.json, its dependencies). */
export function typeCheckReadme(readmeUrl: URL, dir: string): string[] {
  const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(readmeUrl, 'utf8'))![1]!;
  const config = ts.getParsedCommandLineOfConfigFile(
    `${dir}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const file = `${dir}test/readme-example.ts`;
  const host = ts.createCompilerHost(config.options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? example : readFile(name));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, example, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([file], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe("the README's first example", () => {
  it('type-checks, imports and all', () => {
    expect(
      typeCheckReadme(new URL('../README.md', import.meta.url), new URL('../', import.meta.url).pathname),
    ).toEqual([]);
  }, 120_000);
});
