// The built bin, as `npm create` runs it: its versions are the ones the build wrote in.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceRelease } from './workspace-release.js';

const bin = new URL('../dist/bin.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'create-service-dist-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('dist/bin.js', () => {
  it('writes a service depending on this release’s versions, from the versions the build wrote in', () => {
    const dir = join(work, 'orders');
    execFileSync(process.execPath, [bin, dir, '--connectors', 'nats,http'], { stdio: 'pipe' });
    const { dependencies } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const release = workspaceRelease();
    for (const name of [
      '@startup/core',
      '@startup/monitor',
      '@startup/fastify',
      '@startup/nats',
      '@startup/http',
    ]) {
      expect(dependencies[name], name).toBe(`^${release[name]?.version}`);
    }
    expect(dependencies['@nats-io/jetstream']).toBe(
      release['@startup/nats']?.peerDependencies['@nats-io/jetstream'],
    );
  });

  it('exits with status 2 on a bad flag', () => {
    const result = spawnSync(process.execPath, [bin, join(work, 'x'), '--framework', 'express'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--framework: "express" is not a framework');
  });
});
