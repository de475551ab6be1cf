import type { StartupEvents, StartupReport } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { readyStart } from '../test/sample-starts.js';
import { liveProgress } from './live.js';
import { stripAnsi } from './terminal-color.js';

type Listener = (payload: never) => void;

/** A stand-in for a `createStartup()` app: typed `on`, `emit` for the test, and a report before the start. */
function fakeApp(report: StartupReport = pendingReport()) {
  const listeners = new Map<keyof StartupEvents, Set<Listener>>();
  return {
    on<K extends keyof StartupEvents>(event: K, listener: (payload: StartupEvents[K]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => void set.delete(listener as Listener);
    },
    emit<K extends keyof StartupEvents>(event: K, payload: StartupEvents[K]) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: StartupEvents[K]) => void)(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
    report: () => report,
  };
}

function pendingReport(): StartupReport {
  const report = readyStart({ status: 'starting', wallMs: 0 });
  report.plugins = report.plugins.map((p) => ({ ...p, status: 'pending', attempts: [], steps: [] }));
  return report;
}

/** A fake stream that also plays the escape sequences it receives onto a screen of lines. */
function fakeStream(isTTY: boolean, columns = 120) {
  const chunks: string[] = [];
  const screen: string[] = [];
  let row = 0;
  return {
    isTTY,
    columns,
    chunks,
    screen,
    write(chunk: string) {
      chunks.push(chunk);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
      for (const token of chunk.match(/\u001b\[\d*[A-Za-z]|\r|\n|[^\u001b\r\n]+/g) ?? []) {
        if (token === '\n') row++;
        else if (token === '\r') continue;
        else if (token.endsWith('A')) row -= Number(token.slice(2, -1));
        else if (token === '\u001b[2K') screen[row] = '';
        else if (token === '\u001b[0J') screen.length = row;
        else if (token.startsWith('\u001b[')) screen[row] = (screen[row] ?? '') + token;
        else screen[row] = (screen[row] ?? '') + token;
      }
      return true;
    },
    visible: () => screen.map(stripAnsi).filter((l) => l !== ''),
  };
}

const refused = { code: 'ECONNREFUSED', name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' };

function playStart(app: ReturnType<typeof fakeApp>) {
  app.emit('plugin:start', { plugin: 'postgres', atMs: 0 });
  app.emit('plugin:attempt', { plugin: 'postgres', attempt: 1, atMs: 0 });
  app.emit('plugin:start', { plugin: 'redis', atMs: 0 });
  app.emit('plugin:attempt', { plugin: 'redis', attempt: 1, atMs: 0 });
  app.emit('plugin:retry', { plugin: 'redis', attempt: 1, delayMs: 100, error: refused });
  app.emit('plugin:attempt', { plugin: 'redis', attempt: 2, atMs: 131 });
  app.emit('plugin:ready', { plugin: 'redis', attempts: 2, durationMs: 160 });
  app.emit('plugin:ready', { plugin: 'postgres', attempts: 1, durationMs: 412 });
  app.emit('plugin:failed', { plugin: 'nats', attempts: 3, error: refused, optional: true });
  app.emit('plugin:skipped', { plugin: 'api', reason: 'optional dependency nats failed' });
  app.emit('startup:ready', { report: readyStart({ status: 'degraded', wallMs: 850 }) });
}

describe('liveProgress', () => {
  it('draws a line per plugin in a TTY, waiting on its dependencies, before any event', () => {
    const stream = fakeStream(true);
    liveProgress(fakeApp(), { stream, color: false });
    expect(stream.visible()).toEqual([
      'postgres    waiting',
      'redis       waiting',
      'nats        waiting',
      'migrations  waiting for postgres',
      'api         waiting for migrations, redis, nats',
    ]);
  });

  it('writes other output above the live lines, which are drawn again below it', () => {
    const app = fakeApp();
    const stream = fakeStream(true);
    const live = liveProgress(app, { stream, color: false });
    app.emit('plugin:attempt', { plugin: 'postgres', attempt: 1, atMs: 0 });
    live.writeAbove(() => stream.write('{"level":40,"msg":"API_KEY is not set"}\n'));
    app.emit('plugin:ready', { plugin: 'postgres', attempts: 1, durationMs: 12 });
    live.writeAbove(() => stream.write('{"level":40,"msg":"slow"}\n'));
    expect(stream.visible()).toEqual([
      '{"level":40,"msg":"API_KEY is not set"}',
      '{"level":40,"msg":"slow"}',
      'postgres    ready in 12 ms',
      'redis       waiting',
      'nats        waiting',
      'migrations  waiting for postgres',
      'api         waiting for migrations, redis, nats',
    ]);
    live();
    live.writeAbove(() => stream.write('after\n'));
    expect(stream.visible().at(-1)).toBe('after');
    expect(stream.visible()).toHaveLength(8);
  });

  it('redraws the lines in place as the start goes on', () => {
    const app = fakeApp();
    const stream = fakeStream(true);
    liveProgress(app, { stream, color: false });
    app.emit('plugin:attempt', { plugin: 'redis', attempt: 1, atMs: 0 });
    expect(stream.visible()[1]).toBe('redis       connecting (attempt 1)');
    app.emit('plugin:retry', { plugin: 'redis', attempt: 1, delayMs: 100, error: refused });
    expect(stream.visible()[1]).toBe(
      'redis       attempt 1 failed, retrying in 100 ms: connect ECONNREFUSED 127.0.0.1:6379',
    );
    playStart(app);
    expect(stream.visible()).toEqual([
      'postgres    ready in 412 ms',
      'redis       ready in 160 ms (2 attempts)',
      'nats        failed (optional) after 3 attempt(s): connect ECONNREFUSED 127.0.0.1:6379',
      'migrations  waiting for postgres',
      'api         skipped: optional dependency nats failed',
      'start degraded in 850 ms',
    ]);
    expect(stream.chunks.length).toBe(14);
  });

  it('reports a failed start on its closing line', () => {
    const app = fakeApp();
    const stream = fakeStream(true);
    liveProgress(app, { stream, color: false });
    app.emit('startup:failed', {
      error: {
        code: 'STARTUP_ERR_DEADLINE',
        name: 'StartupFailedError',
        message: 'Start-up deadline of 500 ms passed',
      },
      report: readyStart({ status: 'failed' }),
    });
    expect(stream.visible().at(-1)).toBe(
      'start failed: STARTUP_ERR_DEADLINE: Start-up deadline of 500 ms passed',
    );
  });

  it.each([false, true])(
    'shows control characters of names and server errors as pictures (TTY: %s), never sends them',
    (isTTY) => {
      const app = fakeApp();
      const stream = fakeStream(isTTY);
      liveProgress(app, { stream, color: false });
      const evil = { name: 'Error', message: 'server said \u001b[2J\u001b[31mHACKED\u001b[0m\u0007' };
      app.emit('plugin:retry', { plugin: 'db\u009b2J', attempt: 1, delayMs: 100, error: evil });
      app.emit('startup:failed', { error: evil, report: readyStart({ status: 'failed' }) });
      // Only the redraw's own sequences (cursor up, carriage return, erase line) remain to be removed.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
      const sent = stream.chunks.join('').replace(/\u001b\[\d*A\r|\u001b\[2K/g, '');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach the terminal
      expect(sent).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(sent).toContain('db\ufffd2J');
      expect(sent).toContain('server said \u241b[2J\u241b[31mHACKED\u241b[0m\u2407');
    },
  );

  it('adds a line for a plugin the first report did not list', () => {
    const app = fakeApp({ ...pendingReport(), plugins: [] });
    const stream = fakeStream(true);
    liveProgress(app, { stream, color: false });
    expect(stream.chunks).toEqual([]);
    app.emit('plugin:attempt', { plugin: 'late', attempt: 1, atMs: 5 });
    app.emit('plugin:ready', { plugin: 'late', attempts: 1, durationMs: 12.5 });
    expect(stream.visible()).toEqual(['late    ready in 12.5 ms']);
  });

  it('cuts lines to the width of the terminal so redrawing never wraps', () => {
    const app = fakeApp();
    const stream = fakeStream(true, 40);
    liveProgress(app, { stream, color: false });
    app.emit('plugin:retry', { plugin: 'redis', attempt: 1, delayMs: 100, error: refused });
    for (const line of stream.visible()) expect(line.length).toBeLessThan(40);
    expect(stream.visible()[1]).toBe('redis       attempt 1 failed, retrying…');
  });

  it('assumes 80 columns when the terminal reports none', () => {
    const app = fakeApp();
    const stream = fakeStream(true, 0);
    liveProgress(app, { stream, color: false });
    app.emit('plugin:retry', { plugin: 'redis', attempt: 1, delayMs: 100, error: refused });
    expect(stream.visible()[1]).toBe(
      'redis       attempt 1 failed, retrying in 100 ms: connect ECONNREFUSED 127.0.0…',
    );
  });

  it('colours the status in a TTY when asked, and not otherwise', () => {
    const app = fakeApp();
    const coloured = fakeStream(true);
    const plain = fakeStream(true);
    liveProgress(app, { stream: coloured, color: true });
    liveProgress(app, { stream: plain, color: false });
    app.emit('plugin:ready', { plugin: 'postgres', attempts: 1, durationMs: 412 });
    expect(coloured.chunks.at(-1)).toContain('\u001b[32mready in 412 ms\u001b[39m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI colour sequence
    expect(plain.chunks.join('')).not.toMatch(/\u001b\[\d+m/);
  });

  it('prints one plain line per event when the stream is not a TTY', () => {
    const app = fakeApp();
    const stream = fakeStream(false);
    liveProgress(app, { stream, color: true });
    playStart(app);
    expect(stream.chunks.join('')).toBe(
      [
        '[startup] postgres: starting at 0 ms',
        '[startup] postgres: connecting (attempt 1)',
        '[startup] redis: starting at 0 ms',
        '[startup] redis: connecting (attempt 1)',
        '[startup] redis: attempt 1 failed, retrying in 100 ms: connect ECONNREFUSED 127.0.0.1:6379',
        '[startup] redis: connecting (attempt 2)',
        '[startup] redis: ready in 160 ms (2 attempts)',
        '[startup] postgres: ready in 412 ms',
        '[startup] nats: failed (optional) after 3 attempt(s): connect ECONNREFUSED 127.0.0.1:6379',
        '[startup] api: skipped: optional dependency nats failed',
        '[startup] start degraded in 850 ms',
        '',
      ].join('\n'),
    );
  });

  it('unsubscribes every listener when disposed, and disposing twice is harmless', () => {
    const app = fakeApp();
    const stream = fakeStream(false);
    const dispose = liveProgress(app, { stream });
    expect(app.listenerCount()).toBe(8);
    dispose();
    dispose();
    expect(app.listenerCount()).toBe(0);
    playStart(app);
    expect(stream.chunks).toEqual([]);
  });
});

describe('liveProgress with an estimate', () => {
  const estimate = (expectedWallMs: number, onCourseToExceed: boolean) => () => ({
    expectedWallMs,
    elapsedMs: 100,
    remainingMs: expectedWallMs - 100,
    criticalPath: ['postgres'],
    onCourseToExceed,
    unknown: [],
    basedOn: 3,
    text: `expected ${expectedWallMs} ms${onCourseToExceed ? ': on course to exceed the 30.0 s alert threshold' : ''}`,
  });

  it('shows where the start is heading on the closing line of a terminal', () => {
    const app = fakeApp();
    const stream = fakeStream(true);
    liveProgress(app, { stream, color: false, estimate: estimate(900, false) });
    app.emit('plugin:start', { plugin: 'postgres', atMs: 0 });
    expect(stripAnsi(stream.screen.at(-1)!)).toBe('expected 900 ms');
  });

  it('prints one line to a log when the start first looks on course to exceed the threshold', () => {
    const app = fakeApp();
    const stream = fakeStream(false);
    let late = false;
    liveProgress(app, { stream, estimate: () => estimate(late ? 40_000 : 900, late)() });
    app.emit('plugin:start', { plugin: 'postgres', atMs: 0 });
    late = true;
    app.emit('plugin:start', { plugin: 'redis', atMs: 0 });
    app.emit('plugin:start', { plugin: 'nats', atMs: 0 });
    const warnings = stream.chunks.filter((c) => c.includes('on course to exceed'));
    expect(warnings).toEqual([
      '[startup] expected 40000 ms: on course to exceed the 30.0 s alert threshold\n',
    ]);
  });
});
