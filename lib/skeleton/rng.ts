import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";

/**
 * A seeded source of uniform numbers in [0, 1): the same seed gives the same workload.
 * 53 random bits per number (26 + 27 from two draws), as a double carries.
 */
export function seededRng(seed: number): () => number {
  const g = xoroshiro128plus(seed | 0);
  return () => {
    const hi = unsafeUniformIntDistribution(0, (1 << 26) - 1, g);
    const lo = unsafeUniformIntDistribution(0, (1 << 27) - 1, g);
    return (hi * 134217728 + lo) / 9007199254740992;
  };
}
