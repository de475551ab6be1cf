import { attemptCodes, attempts, causeCode, type Fault, startFailure } from './fault-case.js';
import { unresolvableHost } from './test-policy.js';

/** Faults present while the application starts. */
export const startFaults: Fault[] = [
  {
    id: 'down-at-start',
    label: 'down at start (refused)',
    timed: 'start() until it rejected',
    expected: 'coded failure within budget',
    async run({ kit, proxy, at, id, expect, app }) {
      await proxy.refuse();
      const started = app(kit.plugin(at, { id }));
      const { error, ms } = await startFailure(started);
      // The retry budget ended the start, not the 10 s deadline.
      expect(error.code).toBe('STARTUP_ERR_FAILED');
      expect(causeCode(error)).toBe(kit.codes.down);
      const codes = attemptCodes(started.report());
      expect(codes.length).toBeGreaterThan(1);
      expect(new Set(codes)).toEqual(new Set([kit.codes.down]));
      expect(proxy.accepted).toBe(0);
      return {
        outcome: 'coded failure within budget',
        ms,
        detail: `${attempts(codes.length)}, ${causeCode(error)}`,
      };
    },
  },
  {
    id: 'up-late',
    label: 'comes up late (refused for 300 ms)',
    timed: 'start() until ready',
    expected: 'retried then ready',
    async run({ kit, proxy, at, id, expect, app }) {
      proxy.acceptAt(300);
      const started = app(kit.plugin(at, { id }));
      const began = performance.now();
      await started.start();
      const ms = performance.now() - began;
      const codes = attemptCodes(started.report());
      expect(codes.length).toBeGreaterThan(1);
      expect(codes[0]).toBe(kit.codes.down);
      expect(codes.at(-1)).toBeUndefined();
      expect((await started.health()).status).toBe('pass');
      return { outcome: 'retried then ready', ms, detail: `${attempts(codes.length)}, then ready` };
    },
  },
  {
    id: 'blackhole',
    label: 'blackhole (accepts, never answers), optional plugin',
    timed: 'start() until it resolved degraded',
    expected: 'degraded (optional plugin)',
    async run({ kit, proxy, at, id, expect, app }) {
      proxy.blackhole();
      const started = app(kit.plugin(at, { id, optional: true }));
      const began = performance.now();
      await started.start();
      const ms = performance.now() - began;
      expect(started.state).toBe('degraded');
      const report = started.report();
      expect(report.status).toBe('degraded');
      expect(report.plugins[0]?.status).toBe('failed');
      const codes = attemptCodes(report);
      expect(codes.length).toBeGreaterThan(1);
      expect(new Set(codes)).toEqual(new Set([kit.codes.blackhole]));
      // One connection per attempt: nothing reconnects in the background.
      expect(proxy.accepted).toBe(codes.length);
      expect((await started.health()).status).toBe('warn');
      expect(started.liveness().status).toBe('pass');
      return {
        outcome: 'degraded (optional plugin)',
        ms,
        detail: `${attempts(codes.length)} timed out (${kit.codes.blackhole}); health warn`,
      };
    },
  },
  {
    id: 'reset',
    label: 'reset during handshake (RST for 300 ms)',
    timed: 'start() until ready',
    expected: 'retried then ready',
    async run({ kit, proxy, at, id, expect, app }) {
      proxy.resetNew(true);
      const restore = setTimeout(() => proxy.resetNew(false), 300);
      try {
        const started = app(kit.plugin(at, { id }));
        const began = performance.now();
        await started.start();
        const ms = performance.now() - began;
        const codes = attemptCodes(started.report());
        expect(codes.length).toBeGreaterThan(1);
        expect(codes[0]).toBe(kit.codes.down);
        expect(codes.at(-1)).toBeUndefined();
        return {
          outcome: 'retried then ready',
          ms,
          detail: `${attempts(codes.length)} (${codes.length - 1} reset, ${codes[0]}), then ready`,
        };
      } finally {
        clearTimeout(restore);
      }
    },
  },
  {
    id: 'permanent',
    label: 'permanent error (PostgreSQL: unknown database; the others: wrong password)',
    timed: 'start() until it rejected',
    expected: 'coded failure within budget',
    async run({ kit, proxy, at, id, expect, app }) {
      const started = app(kit.plugin(at, { id, wrongCredentials: true }));
      const { error, ms } = await startFailure(started);
      expect(error.code).toBe('STARTUP_ERR_FAILED');
      expect(causeCode(error)).toBe(kit.codes.permanent);
      expect(error.failures[0]?.cause).toMatchObject({ retryable: false });
      expect(attemptCodes(started.report())).toHaveLength(1);
      expect(proxy.accepted).toBeGreaterThan(0);
      return { outcome: 'coded failure within budget', ms, detail: `1 attempt, ${causeCode(error)}` };
    },
  },
  {
    id: 'unresolvable',
    label: `unresolvable host (${unresolvableHost}, no DNS query)`,
    timed: 'start() until it rejected',
    expected: 'coded failure within budget',
    async run({ kit, proxy, id, expect, app }) {
      const started = app(kit.plugin({ host: unresolvableHost, port: proxy.port }, { id }));
      const { error, ms } = await startFailure(started);
      expect(error.code).toBe('STARTUP_ERR_FAILED');
      expect(causeCode(error)).toBe(kit.codes.unknownHost);
      // Retried by default: in Docker and Kubernetes a service's name resolves only once it runs.
      const codes = attemptCodes(started.report());
      expect(codes.length).toBeGreaterThan(1);
      expect(error.failures[0]?.message).toContain(unresolvableHost);
      return {
        outcome: 'coded failure within budget',
        ms,
        detail: `${attempts(codes.length)}, ${causeCode(error)}`,
      };
    },
  },
];
