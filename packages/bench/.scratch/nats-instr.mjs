import { createStartup } from '@startup/core';
import { nats } from '../../nats/dist/instr.js';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
const n = 300;
const acc = new Map(); let last;
globalThis.__t = (l) => { const now = performance.now(); acc.set(l, [...(acc.get(l) ?? []), now - last]); last = now; };
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1].toFixed(3); };
const tot = [];
for (let i = 0; i < n; i++) {
  last = performance.now(); const t0 = last;
  const app = createStartup([nats({ servers: 'nats://127.0.0.1:4222', jetstream: true })]);
  __t('create');
  await app.start();
  __t('end');
  tot.push(performance.now() - t0);
  await app.stop();
}
console.log('ours total', med(tot));
for (const [k, v] of acc) console.log(k.padEnd(12), med(v));
acc.clear();
const tot2 = [];
for (let i = 0; i < n; i++) {
  last = performance.now(); const t0 = last;
  const nc = await connect({ servers: 'nats://127.0.0.1:4222', reconnect: false });
  __t('nc');
  await nc.rtt(); __t('verified');
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  await jsm.getAccountInfo(); __t('jetstream');
  tot2.push(performance.now() - t0);
  await nc.close();
}
console.log('hand total', med(tot2));
for (const [k, v] of acc) console.log(k.padEnd(12), med(v));
