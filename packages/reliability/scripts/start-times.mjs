// @ts-check
// Start time of one connector, measured against the real local server through the built packages:
//   node packages/reliability/scripts/start-times.mjs [--runs 21] [--only mysql,amqp,mqtt,http]
// For each connector: one untimed start (module load, JIT), then `--runs` starts of `createStartup([plugin])`
// with its default options, each stopped before the next. Prints the median, p90 and range of the plugin's own
// `durationMs` (init to ready, from the report) and of `start()` as the caller sees it, and the load average
// before and after. The HTTP upstream is a `node:http` server in the same process answering `200 ok`.
import http from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { amqp } from '@startup/amqp';
import { createStartup } from '@startup/core';
import { httpService } from '@startup/http';
import { mqtt } from '@startup/mqtt';
import { mysql } from '@startup/mysql';
import { amqpUrl, mqttUrl, mysqlUrl } from '@startup/test-kit';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    only: { type: 'string', default: 'mysql,amqp,mqtt,http' },
  },
});
const runs = Number(values.runs);
const only = new Set(values.only.split(','));

const upstream = http.createServer((_, response) => response.end('ok'));
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', () => resolve(undefined)));
const { port } = /** @type {import('node:net').AddressInfo} */ (upstream.address());

/** @type {Record<string, () => import('@startup/core').AnyPlugin>} */
const connectors = {
  mysql: () => mysql({ url: mysqlUrl }),
  amqp: () => amqp({ url: amqpUrl }),
  mqtt: () => mqtt({ url: mqttUrl }),
  http: () => httpService({ name: 'http', url: `http://127.0.0.1:${port}/` }),
};

/** @param {number[]} values @param {number} q */
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
};
const ms = (/** @type {number} */ n) => n.toFixed(1);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

console.log(
  `start times, ${runs} runs each after 1 untimed, Node ${process.version}; load average ${load()}`,
);
console.log('| Connector | init to ready: median | p90 | range | start() median |');
console.log('| --- | ---: | ---: | ---: | ---: |');
try {
  for (const [name, plugin] of Object.entries(connectors)) {
    if (!only.has(name)) continue;
    /** @type {number[]} */
    const own = [];
    /** @type {number[]} */
    const wall = [];
    for (let run = 0; run <= runs; run++) {
      const app = createStartup([plugin()]);
      const began = performance.now();
      await app.start();
      const took = performance.now() - began;
      const durationMs = app.report().plugins[0]?.durationMs ?? Number.NaN;
      await app.stop();
      if (run === 0) continue;
      own.push(durationMs);
      wall.push(took);
    }
    console.log(
      `| ${name} | ${ms(quantile(own, 0.5))} | ${ms(quantile(own, 0.9))} | ${ms(Math.min(...own))}–${ms(Math.max(...own))} | ${ms(quantile(wall, 0.5))} |`,
    );
  }
} finally {
  upstream.close();
}
console.log(`load average after: ${load()}`);
