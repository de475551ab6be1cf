import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNatsServer } from '@startup/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay, eventually, spawnSample, tempDir } from './sample-process.js';
import { pgConnections, redisClients } from './server-connections.js';

// dist/main.js holds SIGTERM/SIGINT on its first line, before it imports the bundle (dist/app.js). Before
// Node runs that line (~40 ms after spawn on an idle machine, longer under load) no JavaScript can listen:
// the kernel's default action ends the process by the signal, before anything was opened.
describe('a signal early in the life of the process', () => {
  let nats: Awaited<ReturnType<typeof startNatsServer>>;
  beforeAll(async () => {
    nats = await startNatsServer({ jetstream: true });
  });
  afterAll(async () => {
    await nats.stop();
  });

  const hook = fileURLToPath(new URL('./fixtures/hold-app-import.mjs', import.meta.url));
  /** The app, with its import of dist/app.js held (see the fixture) until `release()`. */
  const spawnHeld = () => {
    const dir = tempDir();
    const app = spawnSample({ NATS_URL: nats.url, NODE_OPTIONS: `--import=${hook}`, HOLD_DIR: dir });
    return {
      app,
      importing: () => existsSync(join(dir, 'importing')),
      release: () => writeFileSync(join(dir, 'release'), ''),
    };
  };

  const nothingLeftOn = async (name: string) => {
    await eventually(async () => (await pgConnections(name)) === 0, 10_000);
    await eventually(async () => (await redisClients(name)) === 0, 10_000);
    await eventually(async () => !(await nats.connectionNames()).includes(name), 10_000);
  };

  it.each([0, 30, 250])(
    'SIGTERM %i ms after spawn exits 0 once the entry ran (killed by the signal before it), leaving nothing open',
    async (ms) => {
      const { app, importing, release } = spawnHeld();
      release();
      try {
        await delay(ms);
        // Once dist/main.js imports the bundle, its first line ran: the signal is held.
        const held = importing();
        app.child.kill('SIGTERM');
        const status = await app.exited();
        if (held) expect(status).toBe(0);
        else expect([0, 'SIGTERM']).toContain(status);
        if (status === 'SIGTERM') expect(app.stdout() + app.stderr()).toBe('');
        // A start the signal cut short may log the monitor's start-up alert after the shutdown's last line.
        else expect(app.logs().map((line) => line.msg)).toContain('shutdown complete');
        await nothingLeftOn(app.serviceName);
      } finally {
        await app.stop('SIGKILL');
      }
    },
  );

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'holds a %s received while the bundle loads and shuts down without listening or connecting',
    async (signal) => {
      const { app, importing, release } = spawnHeld();
      try {
        await eventually(importing, 10_000);
        app.child.kill(signal);
        await delay(50);
        release();
        expect(await app.exited()).toBe(0);
        const messages = app.logs().map((l) => l.msg);
        expect(messages).toEqual(['shutting down: readiness now fails', 'shutdown complete']);
        expect(app.logs()[0]).toMatchObject({ reason: signal });
        await nothingLeftOn(app.serviceName);
      } finally {
        await app.stop('SIGKILL');
      }
    },
  );

  it('counts two signals received while loading as a forced shutdown, still exiting 0', async () => {
    const { app, importing, release } = spawnHeld();
    try {
      await eventually(importing, 10_000);
      app.child.kill('SIGTERM');
      app.child.kill('SIGINT');
      await delay(50);
      release();
      expect(await app.exited()).toBe(0);
      const messages = app.logs().map((l) => l.msg);
      expect(messages.filter((m) => m === 'shutting down: readiness now fails')).toHaveLength(1);
      expect(messages.at(-1)).toBe('shutdown complete');
      await nothingLeftOn(app.serviceName);
    } finally {
      await app.stop('SIGKILL');
    }
  });
});
