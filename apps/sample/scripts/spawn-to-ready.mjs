#!/usr/bin/env node
// Time from spawning the built sample to its first 200 on /health/ready, over N starts (default 10).
//   node apps/sample/scripts/spawn-to-ready.mjs [starts]
// Each start runs against the local servers on a free port with its own history file, then gets SIGTERM.
// Also reported: the start's own wall time (report.wallMs) and the time from SIGTERM to exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const starts = Number(process.argv[2] ?? 10);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spawn-to-ready-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function once(i) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      LOG_LEVEL: 'info',
      SERVICE_NAME: `measure-${process.pid}-${i}`,
      HISTORY_FILE: join(dir, 'h.jsonl'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let port;
  while (port === undefined) {
    port = out.match(/"port":(\d+),"host"[^\n]*"msg":"probes answering/)?.[1];
    if (port === undefined) await sleep(1);
  }
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(5);
  }
  const readyMs = performance.now() - t0;
  const wallMs = Number(out.match(/"wallMs":([\d.]+)[^\n]*started: ready for traffic/)?.[1]);
  const term = performance.now();
  child.kill('SIGTERM');
  const code = await exited;
  return { readyMs, wallMs, stopMs: performance.now() - term, code };
}

const results = [];
for (let i = 0; i < starts; i++) results.push(await once(i));
rmSync(dir, { recursive: true, force: true });
const f = (ms) => `${ms.toFixed(0)} ms`;
console.log(`node ${process.version}, ${starts} starts, spawn → first 200 on /health/ready:`);
console.log(`  each:   ${results.map((r) => f(r.readyMs)).join(', ')}`);
console.log(
  `  median: ${f(median(results.map((r) => r.readyMs)))}  (min ${f(Math.min(...results.map((r) => r.readyMs)))}, max ${f(Math.max(...results.map((r) => r.readyMs)))})`,
);
console.log(`  start wall time (report.wallMs) median: ${f(median(results.map((r) => r.wallMs)))}`);
console.log(
  `  SIGTERM → exit median: ${f(median(results.map((r) => r.stopMs)))}; exit codes: ${[...new Set(results.map((r) => r.code))].join(', ')}`,
);
