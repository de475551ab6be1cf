import type { Random } from '@startup/core';

/**
 * A deterministic random source (mulberry32): the same seed gives the same sequence, so a simulation or a
 * random graph is the same on every run and every machine. Returns floats in [0, 1), like `Math.random`.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
