import { createStartup } from '@startup/core';
import { redis } from '@startup/redis';
import { startRedis } from '../src/apps/hand-written-start.mjs';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
let t0; const log = [];
const orig = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (cmd, stream) { log.push(`${(performance.now() - t0).toFixed(2)} send ${cmd.name} ${this.status}`); cmd.promise.then(() => log.push(`${(performance.now() - t0).toFixed(2)} reply ${cmd.name}`), () => {}); return orig.call(this, cmd, stream); };
const oc = Redis.prototype.connect;
Redis.prototype.connect = function (...a) { log.push(`${(performance.now() - t0).toFixed(2)} connect()`); this.once('connect', () => log.push(`${(performance.now() - t0).toFixed(2)} ev connect`)); this.once('ready', () => log.push(`${(performance.now() - t0).toFixed(2)} ev ready`)); return oc.apply(this, a); };
const stats = { ours: [], hand: [] };
for (let i = 0; i < 40; i++) {
  for (const who of ['ours', 'hand']) {
    log.length = 0; t0 = performance.now();
    let close;
    if (who === 'ours') { const app = createStartup([redis({ url: 'redis://127.0.0.1:6379' })]); await app.start(); close = () => app.stop(); }
    else { const s = await startRedis('redis://127.0.0.1:6379'); close = s.close; }
    log.push(`${(performance.now() - t0).toFixed(2)} END`);
    if (i >= 37) console.log(who, log.join(' | '));
    const num = (re) => Number(log.find((l) => re.test(l))?.split(' ')[0]);
    stats[who].push([num(/connect\(\)/), num(/send client/), num(/ev ready/), num(/END/)]);
    await close(); await sleep(100);
  }
}

const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1].toFixed(2); };
for (const w of ['ours','hand']) console.log(w, 'connect()', med(stats[w].map(x=>x[0])), 'tcp', med(stats[w].map(x=>x[1]-x[0])), 'to ready', med(stats[w].map(x=>x[2]-x[1])), 'ready->end', med(stats[w].map(x=>x[3]-x[2])), 'total', med(stats[w].map(x=>x[3])));
