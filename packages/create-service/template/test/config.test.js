import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, loadConfig, variables } from '../src/config.js';

test('.env.example lists exactly the variables the service reads, with their defaults', () => {
  const listed = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  assert.deepEqual(Object.fromEntries(listed), { ...variables });
});

test('runs on the defaults when nothing is set', () => {
  assert.equal(loadConfig({}).port, 8687);
});

test('names every bad variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', SHUTDOWN_TIMEOUT_MS: '-1' }),
    (error) =>
      error instanceof ConfigError && /PORT/.test(error.message) && /SHUTDOWN_TIMEOUT_MS/.test(error.message),
  );
});
