import { type ChildProcess, spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { eventually } from '@startup/test-kit';
import autocannon from 'autocannon';
import { expect } from 'vitest';
import { get } from './http-client.js';

/** One spawned test app (see `apps/`), its stdout lines parsed. */
export interface SpawnedApp {
  child: ChildProcess;
  lines: { msg: string; [key: string]: unknown }[];
  port: number;
  exited: Promise<number | null>;
}

/** Spawns `node script` (a test app importing the built packages) and resolves once it listens. */
export async function spawnApp(script: string, env: Record<string, string>): Promise<SpawnedApp> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: SpawnedApp['lines'] = [];
  let stderr = '';
  let rest = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part));
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(() => lines.some((l) => l.msg === 'listening') || child.exitCode !== null, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const listening = lines.find((l) => l.msg === 'listening');
  if (!listening) throw new Error(`${script} exited before listening: ${stderr}`);
  return { child, lines, port: listening.port as number, exited };
}

const apiKey = 'int-key-0123456789abcdef';

/**
 * Start, load and SIGTERM of one spawned app: the probes follow the start; under a bounded autocannon load on
 * /health/ready every answer is a 200 and the backend checks stay bounded by core's 1 s health cache; on SIGTERM
 * readiness fails at once while the server still answers, during the delay, a request in flight finishes with
 * `Connection: close`, then the plugins close dependents first, and the process exits 0 by itself.
 */
export async function startLoadAndDrain(script: string): Promise<void> {
  const spawnedAt = performance.now();
  const app = await spawnApp(script, { DELAY_MS: '1500', SLOW_MS: '2500', API_KEY: apiKey });
  try {
    await eventually(() => app.lines.some((l) => l.msg === 'started'), 15_000);
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const answer = await get(app.port, path);
      expect(answer.status, path).toBe(200);
      expect(JSON.parse(answer.body), path).toEqual({ status: 'pass', phase: 'started' });
    }
    expect((await get(app.port, '/')).body).toBe('app');
    const stats = await get(app.port, '/api/v1/stats', { headers: { 'x-api-key': apiKey } });
    expect(stats.status).toBe(200);
    expect(stats.body).not.toContain(apiKey);
    expect((await get(app.port, '/api/v1/stats')).status).toBe(401);
    const page = await get(app.port, '/startup');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-plugin="cache"');

    const load = await autocannon({
      url: `http://127.0.0.1:${app.port}/health/ready`,
      connections: 10,
      amount: 3000,
    });
    expect(load.errors).toBe(0);
    expect(load.timeouts).toBe(0);
    expect(load.non2xx).toBe(0);
    expect(load['2xx']).toBe(3000);

    const idle = new Agent({ keepAlive: true });
    const busy = new Agent({ keepAlive: true });
    try {
      expect((await get(app.port, '/', { agent: idle })).headers.connection).toBe('keep-alive');
      const inFlight = get(app.port, '/slow', { agent: busy });
      await eventually(() => app.lines.some((l) => l.msg === 'slow received'), 10_000);
      app.child.kill('SIGTERM');
      await eventually(() => app.lines.some((l) => l.msg === 'shutting down: readiness now fails'), 10_000);
      // The delay: readiness fails, liveness passes, the server still answers and closes each connection after.
      const ready = await get(app.port, '/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'stopping' });
      expect((await get(app.port, '/health/live')).status).toBe(200);
      const onIdle = await get(app.port, '/', { agent: idle });
      expect(onIdle.body).toBe('app');
      expect(onIdle.headers.connection).toBe('close');
      expect(app.lines.some((l) => l.msg === 'closed')).toBe(false);

      const answer = await inFlight;
      expect(answer).toMatchObject({ status: 200, body: 'done' });
      expect(answer.headers.connection).toBe('close');
      expect(await app.exited).toBe(0);
    } finally {
      idle.destroy();
      busy.destroy();
    }
    const lifetimeS = (performance.now() - spawnedAt) / 1000;
    const order = app.lines.map((l) => (l.msg === 'closed' ? `closed ${l.plugin}` : l.msg));
    const at = (msg: string) => order.indexOf(msg);
    expect(at('shutting down: readiness now fails')).toBeGreaterThan(-1);
    expect(at('shutting down: readiness now fails')).toBeLessThan(at('slow answered'));
    expect(at('slow answered')).toBeLessThan(at('closed cache'));
    expect(at('closed cache')).toBeLessThan(at('closed config'));
    expect(at('closed config')).toBeLessThan(at('shutdown complete'));
    // 3,000 readiness requests and more, yet about one backend check per second of the app's life (1 s cache).
    const checks = app.lines.find((l) => l.msg === 'exit')?.checks as number;
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(Math.ceil(lifetimeS) + 2);
  } finally {
    app.child.kill('SIGKILL');
  }
}
