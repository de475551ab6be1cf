import { createStartup } from '@startup/core';
import { nats } from '@startup/nats';
import { redis } from '@startup/redis';
import { postgres } from '@startup/postgres';
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1].toFixed(4); };
for (const [name, f] of [['nats', () => nats({ servers: 'nats://127.0.0.1:4222', jetstream: true })], ['redis', () => redis({ url: 'redis://127.0.0.1:6379' })], ['pg', () => postgres({ url: 'postgres://postgres@127.0.0.1:5432/test', warmConnections: 10 })]]) {
  const a = [], b = [];
  for (let i = 0; i < 2000; i++) { let t = performance.now(); const p = f(); a.push(performance.now() - t); t = performance.now(); createStartup([p]); b.push(performance.now() - t); }
  console.log(name, 'plugin()', med(a), 'createStartup', med(b), 'first', a[0].toFixed(3), b[0].toFixed(3));
}
