import { setTimeout as delay } from 'node:timers/promises';
import { createStartup, definePlugin } from '@startup/core';
import avvio from 'avvio';
import { type GraphNode, graphLevels } from './random-graph.js';

/** A way to start a graph of synthetic plugins; resolves when all are ready, then cleans up untimed. */
export interface RunnerContender {
  name: string;
  /** Starts the plugins; resolves with the time in milliseconds from creation to all ready. */
  start(nodes: readonly GraphNode[]): Promise<Timing>;
  /** Whether it honours dependencies by itself (`false`: fed the plugins in index order, which is topological). */
  parallel: boolean;
}

/** Wall time, and CPU time of the whole process (user + system, every thread), in milliseconds. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

function stopwatch(): () => Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}

const work = (ms: number) => (ms > 0 ? delay(ms) : Promise.resolve());

/** Ours, a hand-written promise graph (the limit), a level-by-level `Promise.all`, avvio, a sequential loop. */
export const runnerContenders: readonly RunnerContender[] = [
  {
    name: 'ours (createStartup)',
    parallel: true,
    async start(nodes) {
      const stop = stopwatch();
      const app = createStartup(
        nodes.map((node) =>
          definePlugin({
            name: node.name,
            dependsOn: node.deps.map((d) => nodes[d]!.name),
            init: () => work(node.delayMs),
          }),
        ),
      );
      await app.start();
      const timing = stop();
      await app.stop();
      return timing;
    },
  },
  {
    name: 'Promise.all (hand-written graph)',
    parallel: true,
    async start(nodes) {
      const stop = stopwatch();
      const done: Promise<void>[] = [];
      for (const node of nodes) {
        const deps = node.deps.map((d) => done[d]!);
        done.push(
          (deps.length === 0
            ? work(node.delayMs)
            : Promise.all(deps).then(() => work(node.delayMs))) as Promise<void>,
        );
      }
      await Promise.all(done);
      return stop();
    },
  },
  {
    name: 'Promise.all level by level',
    parallel: true,
    async start(nodes) {
      const stop = stopwatch();
      for (const level of graphLevels(nodes)) await Promise.all(level.map((i) => work(nodes[i]!.delayMs)));
      return stop();
    },
  },
  {
    name: 'avvio',
    parallel: false,
    async start(nodes) {
      const stop = stopwatch();
      const app = avvio();
      for (const node of nodes) app.use(async () => work(node.delayMs));
      await app.ready();
      const timing = stop();
      await new Promise<void>((resolve) => app.close(() => resolve()));
      return timing;
    },
  },
  {
    name: 'sequential awaits',
    parallel: false,
    async start(nodes) {
      const stop = stopwatch();
      for (const node of nodes) await work(node.delayMs);
      return stop();
    },
  },
];
