import { xoroshiro128plus, type RandomGenerator } from "pure-rand";

/**
 * Seeded randomness. The original reseeded from system entropy on every call, so its random
 * skeletons could not be reproduced; here one seed fixes every draw. Each (stage, field) pair
 * gets its own stream derived from the seed, so editing one stage's distribution leaves the
 * draws of every other stage unchanged.
 */
export type Rng = () => number;

function fmix32(h: number): number {
  // MurmurHash3's finaliser: spreads nearby seeds far apart
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function mix(seed: number, label: string): number {
  // both halves of a safe integer count, so seeds 1 and 2^32 + 1 differ
  let h = fmix32((seed | 0) ^ fmix32(Math.floor(seed / 4294967296) | 0));
  for (let i = 0; i < label.length; i++) h = fmix32(h ^ Math.imul(label.charCodeAt(i), 0x9e3779b1));
  return h;
}

/** Uniform doubles in [0, 1) with 53 random bits, composed as CPython's `random()` does. */
export function fromGenerator(g: RandomGenerator): Rng {
  return () => {
    const a = g.unsafeNext() >>> 5;
    const b = g.unsafeNext() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
}

export function seededRng(seed: number, label = ""): Rng {
  return fromGenerator(xoroshiro128plus(mix(seed, label)));
}
