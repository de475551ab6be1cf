import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService } from '../src/create-service.js';
import { CreateServiceError, createServiceErrorCodes } from '../src/errors.js';
import { askChoices } from '../src/prompts.js';
import { workspaceRelease } from './workspace-release.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'create-service-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const choices = (directory: string) =>
  ({
    directory,
    name: 'orders',
    connectors: ['redis'],
    framework: 'fastify',
    packageManager: 'npm',
  }) as const;
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof CreateServiceError ? error.code : error;
  }
  return undefined;
};

describe('createService', () => {
  it('writes every file and lists them', () => {
    const created = createService({ ...choices(join(work, 'orders')), release: workspaceRelease() });
    expect(created.files).toContain('src/main.js');
    expect(readFileSync(join(created.directory, '.gitignore'), 'utf8')).toContain('node_modules');
  });

  it('refuses a directory that is not empty, or a file, with CREATE_ERR_DIRECTORY_NOT_EMPTY, writing nothing', () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    expect(codeOf(() => createService({ ...choices(dir), release: workspaceRelease() }))).toBe(
      'CREATE_ERR_DIRECTORY_NOT_EMPTY',
    );
    expect(readdirSync(dir)).toEqual(['.env']);
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    expect(codeOf(() => createService({ ...choices(file), release: workspaceRelease() }))).toBe(
      'CREATE_ERR_DIRECTORY_NOT_EMPTY',
    );
  });

  it('needs a release when it runs unbuilt: CREATE_ERR_NO_RELEASE', () => {
    expect(codeOf(() => createService(choices(join(work, 'orders'))))).toBe('CREATE_ERR_NO_RELEASE');
    expect(codeOf(() => createService({ ...choices(join(work, 'orders')), release: {} }))).toBe(
      'CREATE_ERR_NO_RELEASE',
    );
  });
});

describe('askChoices', () => {
  it('ends with CREATE_ERR_MISSING_DIRECTORY when the input closes before a directory was given', async () => {
    const input = new PassThrough();
    input.end();
    await expect(askChoices({}, 'npm', input, new PassThrough())).rejects.toMatchObject({
      code: 'CREATE_ERR_MISSING_DIRECTORY',
    });
  });
});

describe('the error-code registry', () => {
  const read = (dir: string) =>
    readdirSync(new URL(`../${dir}/`, import.meta.url))
      .map((name) => readFileSync(new URL(`../${dir}/${name}`, import.meta.url), 'utf8'))
      .join('\n');
  const sources = read('src').replace(/export const createServiceErrorCodes[\s\S]*?\}\);/, '');
  const tests = read('test');

  it.each(Object.keys(createServiceErrorCodes))(
    '%s is raised by some source and asserted by some test',
    (code) => {
      expect(sources, `no source raises ${code}`).toContain(`'${code}'`);
      expect(tests, `no test asserts ${code}`).toContain(`'${code}'`);
    },
  );
});
