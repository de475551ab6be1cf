// The application every spawned test app serves: `config`, then `cache` (which depends on it), a monitor, and
// a logger that writes one JSON line per event on stdout for the test to read. Health checks are counted.
import { createStartup, definePlugin } from '@startup/core';
import { createMonitor, loopbackGrades } from '@startup/monitor';

export const env = {
  port: Number(process.env.PORT ?? 0),
  delayMs: Number(process.env.DELAY_MS ?? 0),
  slowMs: Number(process.env.SLOW_MS ?? 0),
  apiKey: process.env.API_KEY,
};

export function line(msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ msg, ...fields })}\n`);
}

export const logger = {
  debug: () => {},
  info: (msg, fields) => line(msg, fields),
  warn: (msg, fields) => line(msg, fields),
  error: (msg, fields) => line(msg, fields),
};

let checks = 0;
const config = definePlugin({
  name: 'config',
  init: () => ({ region: 'local' }),
  close: () => line('closed', { plugin: 'config' }),
});
const cache = definePlugin()({
  name: 'cache',
  dependsOn: ['config'],
  init: async (ctx) =>
    ctx.step('warm', () => new Promise((resolve) => setTimeout(() => resolve(new Map()), 40))),
  healthCheck: () => {
    checks++;
  },
  close: () => line('closed', { plugin: 'cache' }),
});

export const app = createStartup([config, cache]);
export const monitor = createMonitor(app, { grades: loopbackGrades, service: 'demo', tracing: false });
process.on('exit', () => line('exit', { checks }));

/** GET /slow: answers after SLOW_MS, and says so on stdout. */
export function slow(respond) {
  line('slow received');
  setTimeout(() => {
    line('slow answered');
    respond('done');
  }, env.slowMs);
}
