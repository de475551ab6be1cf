// usage: node cmp.mjs <nats|redis|postgres|all> rounds
import { createStartup } from '@startup/core';
import { nats } from '@startup/nats';
import { redis } from '@startup/redis';
import { postgres } from '@startup/postgres';
import { startNats, startRedis, startPostgres, startAll } from '../src/apps/hand-written-start.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
const which = process.argv[2] ?? 'nats';
const n = Number(process.argv[3] ?? 40);
const T = { nats: 'nats://127.0.0.1:4222', redis: 'redis://127.0.0.1:6379', postgres: 'postgres://postgres@127.0.0.1:5432/test', warmConnections: 10 };
const make = { nats: () => [nats({ servers: T.nats, jetstream: true })], redis: () => [redis({ url: T.redis })],
  postgres: () => [postgres({ url: T.postgres, warmConnections: 10 })] };
make.all = () => [...make.postgres(), ...make.redis(), ...make.nats()];
const hand = { nats: () => startNats(T.nats), redis: () => startRedis(T.redis), postgres: () => startPostgres(T.postgres, 10), all: () => startAll(T) };
const tm = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
async function measure(open) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const s = await open();
  const w = performance.now() - t0; const c = process.cpuUsage(c0);
  await s.close();
  return [w, (c.user + c.system) / 1000];
}
const ours = () => measure(async () => { const app = createStartup(make[which]()); await app.start(); return { close: () => app.stop() }; });
const hw = () => measure(() => hand[which]());
await ours(); await hw();
const O = [], H = [];
for (let i = 0; i < n; i++) {
  if (i % 2) { O.push(await ours()); await sleep(100); H.push(await hw()); } else { H.push(await hw()); await sleep(100); O.push(await ours()); }
  await sleep(100);
}
const f = (x) => x.toFixed(2);
const ow = tm(O.map((x) => x[0])), hwl = tm(H.map((x) => x[0])), oc = tm(O.map((x) => x[1])), hc = tm(H.map((x) => x[1]));
const ratio = tm(O.map((x, i) => x[0] / H[i][0]));
console.log(`${which}: wall ours ${f(ow)} hand ${f(hwl)} diff ${f(ow - hwl)} ratio/round ${ratio.toFixed(3)} | cpu ours ${f(oc)} hand ${f(hc)} diff ${f(oc - hc)}`);
