import { createStartup } from '@startup/core';
import { nats } from '@startup/nats';
import { redis } from '@startup/redis';
import { postgres } from '@startup/postgres';
import { startNats, startRedis, startPostgres } from '../src/apps/hand-written-start.mjs';
const which = process.argv[2] ?? 'nats';
const n = Number(process.argv[3] ?? 200);
const mode = process.argv[4] ?? 'both';
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
const make = { nats: () => nats({ servers: 'nats://127.0.0.1:4222', jetstream: true }),
  redis: () => redis({ url: 'redis://127.0.0.1:6379' }),
  postgres: () => postgres({ url: 'postgres://postgres@127.0.0.1:5432/test', warmConnections: 10 }) };
const hand = { nats: () => startNats('nats://127.0.0.1:4222'), redis: () => startRedis('redis://127.0.0.1:6379'),
  postgres: () => startPostgres('postgres://postgres@127.0.0.1:5432/test', 10) };
async function ours() { const t = performance.now(); const app = createStartup([make[which]()]); await app.start(); const w = performance.now() - t; await app.stop(); return w; }
async function hw() { const t = performance.now(); const s = await hand[which](); const w = performance.now() - t; await s.close(); return w; }
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1].toFixed(2); };
const a = [], b = [];
for (let i = 0; i < n; i++) {
  if (mode !== 'hand') a.push(await ours());
  if (mode !== 'ours') b.push(await hw());
}
console.log(which, 'ours', a.length ? med(a) : '-', 'hand', b.length ? med(b) : '-');
