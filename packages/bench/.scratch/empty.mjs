import { createStartup } from '@startup/core';
const n = 500;
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1].toFixed(3); };
for (const steps of [0, 1, 3]) {
const a = [];
for (let i = 0; i < n; i++) {
  const t = performance.now();
  const app = createStartup([{ name: 'x', async init(ctx) { for (let s = 0; s < steps; s++) await ctx.step('s' + s, async () => 1); return 1; } }]);
  await app.start();
  a.push(performance.now() - t);
  await app.stop();
}
console.log('steps', steps, 'empty start median ms', med(a));
}
