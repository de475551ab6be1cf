import { createStartup } from '@startup/core';
import { nats } from '@startup/nats';
import { redis } from '@startup/redis';
import { postgres } from '@startup/postgres';
import { startNats, startRedis, startPostgres, startAll } from '../src/apps/hand-written-start.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
const [which, who, n] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 60)];
const T = { nats: 'nats://127.0.0.1:4222', redis: 'redis://127.0.0.1:6379', postgres: 'postgres://postgres@127.0.0.1:5432/test', warmConnections: 10 };
const make = { nats: () => [nats({ servers: T.nats, jetstream: true })], redis: () => [redis({ url: T.redis })], postgres: () => [postgres({ url: T.postgres, warmConnections: 10 })] };
make.all = () => [...make.postgres(), ...make.redis(), ...make.nats()];
const hand = { nats: () => startNats(T.nats), redis: () => startRedis(T.redis), postgres: () => startPostgres(T.postgres, 10), all: () => startAll(T) };
let cpu = 0; const walls = [];
for (let i = 0; i < n; i++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  let close;
  if (who === 'ours') { const app = createStartup(make[which]()); await app.start(); close = () => app.stop(); } else { const s = await hand[which](); close = s.close; }
  walls.push(performance.now() - t0);
  const c = process.cpuUsage(c0); if (i >= 5) cpu += (c.user + c.system) / 1000;
  await close(); await sleep(100);
}
const s = walls.slice(5).sort((a, b) => a - b);
console.log(which, who, 'median wall', s[s.length >> 1].toFixed(2), 'mean cpu/start', (cpu / (n - 5)).toFixed(2));
