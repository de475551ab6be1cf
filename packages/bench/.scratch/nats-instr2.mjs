import { createStartup } from '@startup/core';
import { nats } from '../../nats/dist/instr.js';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
const n = Number(process.argv[2] ?? 40);
const accO = new Map(), accH = new Map(); let acc, last;
globalThis.__t = (l) => { const now = performance.now(); acc.set(l, [...(acc.get(l) ?? []), now - last]); last = now; };
const med = (a) => { const s = [...a].sort((x, y) => x - y); const k = s.slice(Math.floor(s.length*0.1), Math.ceil(s.length*0.9)); return (k.reduce((x,y)=>x+y,0)/k.length).toFixed(3); };
const tot = [], tot2 = [];
async function ours() {
  acc = accO; last = performance.now(); const t0 = last;
  const pl = nats({ servers: 'nats://127.0.0.1:4222', jetstream: true });
  __t('plugin');
  const app = createStartup([pl]);
  __t('create');
  await app.start();
  __t('end');
  tot.push(performance.now() - t0);
  await app.stop();
}
async function hand() {
  acc = accH; last = performance.now(); const t0 = last;
  const nc = await connect({ servers: 'nats://127.0.0.1:4222', reconnect: false });
  __t('nc');
  await nc.rtt(); __t('verified');
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  await jsm.getAccountInfo(); __t('jetstream');
  tot2.push(performance.now() - t0);
  await nc.close();
}
for (let i = 0; i < n; i++) {
  if (i % 2) { await ours(); await sleep(100); await hand(); } else { await hand(); await sleep(100); await ours(); }
  await sleep(100);
}
console.log('ours total', med(tot));
for (const [k, v] of accO) console.log(k.padEnd(12), med(v));
console.log('hand total', med(tot2));
for (const [k, v] of accH) console.log(k.padEnd(12), med(v));
