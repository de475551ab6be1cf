import { delay, useFakeTime } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { isStartupError, type StartupFailedError } from './errors.js';
import { type AnyPlugin, definePlugin } from './plugin.js';
import { createStartup } from './runner.js';

useFakeTime();

function delayed(name: string, ms: number, extra: Partial<AnyPlugin> = {}, log?: string[]): AnyPlugin {
  return {
    name,
    async init({ signal }) {
      log?.push(`init:${name}`);
      await delay(ms, signal);
      return `${name}-resource`;
    },
    close: () => {
      log?.push(`close:${name}`);
    },
    ...extra,
  };
}

async function settle<T>(promise: Promise<T>, ms = 100_000): Promise<T> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  const result = (await outcome) as { value?: T; error?: unknown };
  if ('error' in result) throw result.error;
  return result.value as T;
}

describe('createStartup', () => {
  it('overlaps independent plugins so the wall time is the longest one (origin 200/150/250 profile)', async () => {
    const app = createStartup([delayed('postgres', 200), delayed('redis', 150), delayed('nats', 250)]);
    const resources = await settle(app.start(), 1_000);
    expect(resources).toEqual({
      postgres: 'postgres-resource',
      redis: 'redis-resource',
      nats: 'nats-resource',
    });
    const report = app.report();
    expect(report.status).toBe('ready');
    expect(report.wallMs).toBe(250);
    expect(report.sumMs).toBe(600);
    expect(report.criticalPath).toEqual(['nats']);
  });

  it('starts a plugin as soon as its own dependencies are ready, not level by level', async () => {
    const app = createStartup([
      delayed('slow', 300),
      delayed('db', 100),
      delayed('repo', 50, { dependsOn: ['db'] }),
      delayed('api', 10, { dependsOn: ['repo', 'slow'] }),
    ]);
    await settle(app.start(), 1_000);
    const byName = Object.fromEntries(app.report().plugins.map((p) => [p.name, p]));
    expect(byName.repo!.depsReadyMs).toBe(100);
    expect(byName.repo!.readyMs).toBe(150);
    expect(byName.api!.depsReadyMs).toBe(300);
    expect(app.report().criticalPath).toEqual(['slow', 'api']);
    expect(app.report().criticalPathEndMs).toBe(310);
  });

  it('gives each plugin the resources of its dependencies', async () => {
    const repo = definePlugin<{ db: string }>()({
      name: 'repo',
      dependsOn: ['db'],
      init: ({ deps }) => `repo(${deps.db})`,
    });
    const app = createStartup([delayed('db', 5), repo]);
    const resources = await settle(app.start(), 100);
    expect(resources.repo).toBe('repo(db-resource)');
  });

  it.each([
    ['STARTUP_ERR_DUPLICATE_PLUGIN', [delayed('a', 1), delayed('a', 1)]],
    ['STARTUP_ERR_UNKNOWN_DEPENDENCY', [delayed('a', 1, { dependsOn: ['ghost'] })]],
    [
      'STARTUP_ERR_DEPENDENCY_CYCLE',
      [
        delayed('a', 1, { dependsOn: ['c'] }),
        delayed('b', 1, { dependsOn: ['a'] }),
        delayed('c', 1, { dependsOn: ['b'] }),
      ],
    ],
    ['STARTUP_ERR_INVALID_OPTION', [delayed('a', 1, { timeouts: { attemptMs: -1 } })]],
    ['STARTUP_ERR_INVALID_OPTION', [delayed('a', 1, { retry: { maxAttempts: 0 } })]],
    ['STARTUP_ERR_INVALID_OPTION', [delayed('a', 1, { timeouts: { pluginMs: Number.NaN } })]],
    [
      'STARTUP_ERR_INVALID_OPTION',
      [delayed('cache', 1, { optional: true }), delayed('api', 1, { dependsOn: ['cache'] })],
    ],
  ] as const)('rejects bad input with %s before anything starts', (code, plugins) => {
    const log: string[] = [];
    expect(() => createStartup(plugins.map((p) => ({ ...p, init: () => log.push(p.name) })))).toThrow(
      expect.objectContaining({ code }),
    );
    expect(log).toEqual([]);
  });

  it('names the whole cycle', () => {
    expect(() =>
      createStartup([
        delayed('a', 1, { dependsOn: ['b'] }),
        delayed('b', 1, { dependsOn: ['c'] }),
        delayed('c', 1, { dependsOn: ['a'] }),
      ]),
    ).toThrow('Dependency cycle: a → b → c → a');
  });

  it('names the plugin and field of a bad option', () => {
    expect(() => createStartup([delayed('postgres', 1, { timeouts: { attemptMs: -5 } })])).toThrow(
      'Invalid option "timeouts.attemptMs" of plugin "postgres"',
    );
    expect(() => createStartup([], { deadlineMs: Number.NaN })).toThrow('Invalid option "deadlineMs"');
  });

  it('retries a failed attempt with backoff and records each attempt', async () => {
    let calls = 0;
    const flaky = definePlugin({
      name: 'flaky',
      retry: { initialDelayMs: 100, multiplier: 2, jitter: 'none' },
      init: () => {
        if (++calls < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return 'ok';
      },
    });
    const retries: number[] = [];
    const app = createStartup([flaky]);
    app.on('plugin:retry', (e) => retries.push(e.delayMs));
    await settle(app.start(), 1_000);
    expect(retries).toEqual([100, 200]);
    const [report] = app.report().plugins;
    expect(report!.attempts.map((a) => a.error?.code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', undefined]);
    expect(report!.durationMs).toBe(300);
  });

  it('times out an attempt, aborts its signal and retries', async () => {
    const signals: AbortSignal[] = [];
    const hang = definePlugin({
      name: 'hang',
      timeouts: { attemptMs: 50 },
      retry: { initialDelayMs: 10, jitter: 'none', maxAttempts: 2 },
      init: ({ signal }) => {
        signals.push(signal);
        return new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const app = createStartup([hang]);
    const error = (await settle(app.start(), 1_000).catch((e) => e)) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.failures[0]!.plugin).toBe('hang');
    expect((error.failures[0]!.cause as { code: string }).code).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(app.report().plugins[0]!.attempts).toHaveLength(2);
  });

  it('stops at once on a non-retryable error', async () => {
    let calls = 0;
    const app = createStartup([
      definePlugin({
        name: 'db',
        init: () => {
          calls++;
          throw Object.assign(new Error('password authentication failed'), { retryable: false });
        },
      }),
    ]);
    const error = (await settle(app.start(), 10_000).catch((e) => e)) as StartupFailedError;
    expect(calls).toBe(1);
    expect(error.failures[0]!.message).toContain('not retryable');
  });

  it('fails the plugin when its own timeout passes, naming it', async () => {
    const app = createStartup([delayed('slow', 10_000, { timeouts: { pluginMs: 500 } })]);
    const error = (await settle(app.start(), 1_000).catch((e) => e)) as StartupFailedError;
    expect(error.failures[0]).toMatchObject({ code: 'STARTUP_ERR_PLUGIN_TIMEOUT', plugin: 'slow' });
  });

  it('names every plugin still running, and for how long, when the deadline passes', async () => {
    const app = createStartup(
      [
        delayed('fast', 100),
        delayed('pg', 5_000),
        delayed('nats', 9_000),
        delayed('api', 1, { dependsOn: ['pg'] }),
      ],
      {
        deadlineMs: 1_000,
      },
    );
    const error = (await settle(app.start(), 2_000).catch((e) => e)) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_DEADLINE');
    expect(error.message).toContain(
      'pg (running 1000 ms, attempt 1), nats (running 1000 ms, attempt 1); waiting: api',
    );
    expect(error.failures.map((f) => f.plugin)).toEqual([undefined, 'pg', 'nats']);
  });

  it('says why each plugin cut short by the deadline failed, naming it, never "?"', async () => {
    const refused = () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390 (redis://:s3cret@127.0.0.1:6390)'), {
          code: 'ECONNREFUSED',
        }),
      );
    const app = createStartup(
      [
        { name: 'redis', init: refused, retry: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' } },
        delayed('nats', 9_000),
      ],
      { deadlineMs: 1_050 },
    );
    const error = (await settle(app.start(), 2_000).catch((e) => e)) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_DEADLINE');
    const lines = error.message.split('\n');
    expect(lines[1]).toMatch(
      /^ {2}- \[STARTUP_ERR_DEADLINE\] Start-up deadline of 1050 ms passed; still running: /,
    );
    expect(lines.slice(2)).toEqual([
      '  - redis: [STARTUP_ERR_ABORTED] Plugin "redis" was aborted: STARTUP_ERR_DEADLINE; attempt 11 failed: connect ECONNREFUSED 127.0.0.1:6390 (redis://:****@127.0.0.1:6390) [ECONNREFUSED]',
      '  - nats: [STARTUP_ERR_ABORTED] Plugin "nats" was aborted: STARTUP_ERR_DEADLINE; attempt 1 was still running, none had failed',
    ]);
  });

  it('says why the attempts of a plugin that ran out of its own time failed', async () => {
    let attempt = 0;
    const app = createStartup([
      {
        name: 'pg',
        // Fails fast twice, then hangs: the last failure is the one to show, not the hanging attempt.
        init: ({ signal }) =>
          ++attempt < 3 ? Promise.reject(new Error(`refused ${attempt}`)) : delay(10_000, signal),
        retry: { initialDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
        timeouts: { pluginMs: 500, attemptMs: 5_000 },
      },
    ]);
    const error = (await settle(app.start(), 1_000).catch((e) => e)) as StartupFailedError;
    expect(error.failures[0]).toMatchObject({ code: 'STARTUP_ERR_PLUGIN_TIMEOUT', plugin: 'pg' });
    expect(error.message).toContain(
      '  - pg: [STARTUP_ERR_PLUGIN_TIMEOUT] Plugin "pg" exceeded timeouts.pluginMs (500 ms); attempt 2 failed: refused 2',
    );
  });

  it('rolls back in reverse dependency order when a required plugin fails', async () => {
    const log: string[] = [];
    const app = createStartup([
      delayed('db', 10, {}, log),
      delayed('repo', 10, { dependsOn: ['db'] }, log),
      delayed('cache', 10, { dependsOn: ['repo'] }, log),
      { name: 'broker', retry: false, init: () => delay(100).then(() => Promise.reject(new Error('boom'))) },
    ]);
    const error = (await settle(app.start(), 1_000).catch((e) => e)) as StartupFailedError;
    expect(isStartupError(error)).toBe(true);
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.message).toContain('broker');
    expect(log.filter((l) => l.startsWith('close'))).toEqual(['close:cache', 'close:repo', 'close:db']);
    expect(app.state).toBe('failed');
  });

  it('aborts plugins still initialising when another fails, and lists them', async () => {
    const seen: AbortSignal[] = [];
    const app = createStartup([
      {
        name: 'slow',
        init: ({ signal }) => {
          seen.push(signal);
          return delay(10_000, signal);
        },
      },
      {
        name: 'bad',
        retry: false,
        init: () => delay(10).then(() => Promise.reject(new Error('bad config'))),
      },
    ]);
    const error = (await settle(app.start(), 100).catch((e) => e)) as StartupFailedError;
    expect(seen[0]!.aborted).toBe(true);
    expect(error.failures.map((f) => [f.plugin, f.code])).toEqual([
      ['bad', 'STARTUP_ERR_PLUGIN_FAILED'],
      ['slow', 'STARTUP_ERR_ABORTED'],
    ]);
    expect(app.report().plugins.map((p) => p.status)).toEqual(['aborted', 'failed']);
  });

  it('aborts and rolls back when the outside signal fires (SIGTERM during start)', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const app = createStartup([delayed('db', 10, {}, log), delayed('nats', 5_000, {}, log)], {
      signal: controller.signal,
    });
    const started = app.start().catch((e) => e);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('SIGTERM'));
    await vi.advanceTimersByTimeAsync(10);
    const error = (await started) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
    expect(error.message).toContain('SIGTERM');
    expect(log).toContain('close:db');
    expect(log).not.toContain('close:nats');
    expect(app.report().status).toBe('aborted');
  });

  it('closes a resource whose attempt timed out but resolved later', async () => {
    const closed: string[] = [];
    const app = createStartup([
      {
        name: 'late',
        timeouts: { attemptMs: 10 },
        retry: false,
        init: () => delay(50).then(() => 'late-resource'),
        close: (r) => {
          closed.push(r as string);
        },
      },
    ]);
    await settle(app.start(), 1_000).catch(() => {});
    expect(closed).toEqual(['late-resource']);
  });

  it('starts degraded when an optional plugin fails, skipping its dependents', async () => {
    const skipped: string[] = [];
    const app = createStartup([
      delayed('db', 10),
      { name: 'cache', optional: true, retry: false, init: () => Promise.reject(new Error('no cache')) },
      delayed('warmer', 10, { dependsOn: ['cache'], optional: true }),
    ]);
    app.on('plugin:skipped', (e) => skipped.push(`${e.plugin}: ${e.reason}`));
    const resources = await settle(app.start(), 100);
    expect(Object.keys(resources)).toEqual(['db']);
    expect(app.state).toBe('degraded');
    expect(skipped).toEqual(['warmer: dependency "cache" failed']);
    const report = app.report();
    expect(report.status).toBe('degraded');
    expect(report.plugins.find((p) => p.name === 'warmer')!.skippedBecause).toBe('dependency "cache" failed');
  });

  it('skips the dependents of a failed optional plugin nearest first, each once', async () => {
    const skipped: string[] = [];
    const optional = (name: string, dependsOn: string[]) => delayed(name, 10, { dependsOn, optional: true });
    const app = createStartup([
      { name: 'cache', optional: true, retry: false, init: () => Promise.reject(new Error('no cache')) },
      optional('warmer', ['cache']),
      optional('sessions', ['cache']),
      optional('warm-report', ['warmer']),
      optional('both', ['warmer', 'sessions']),
    ]);
    app.on('plugin:skipped', (e) => skipped.push(e.plugin));
    await settle(app.start(), 100);
    expect(skipped).toEqual(['warmer', 'sessions', 'warm-report', 'both']);
  });

  it('settles when the root of a chain of 10,000 optional plugins fails, every dependent skipped', async () => {
    const chain: AnyPlugin[] = [
      { name: 'p0', optional: true, retry: false, init: () => Promise.reject(new Error('down')) },
    ];
    for (let i = 1; i < 10_000; i++)
      chain.push(delayed(`p${i}`, 10, { dependsOn: [`p${i - 1}`], optional: true }));
    const app = createStartup(chain);
    let skipped = 0;
    app.on('plugin:skipped', (e) => {
      if (e.reason === 'dependency "p0" failed') skipped++;
    });
    const resources = await settle(app.start(), 100);
    expect(resources).toEqual({});
    expect(app.state).toBe('degraded');
    expect(skipped).toBe(9_999);
    const statuses = new Set(
      app
        .report()
        .plugins.slice(1)
        .map((p) => p.status),
    );
    expect([...statuses]).toEqual(['skipped']);
  });
});
