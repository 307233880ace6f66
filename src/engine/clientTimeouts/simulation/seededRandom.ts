/**
 * A small seeded generator (mulberry32): the model's only source of randomness, used where
 * database/sql itself is random (which waiting request gets a released connection).
 */
export interface RandomSource {
  /** An integer in [0, n). */
  nextInt(n: number): number;
}

export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    nextInt(n: number): number {
      if (!(n >= 1)) throw new Error('nextInt needs n >= 1');
      return Math.floor(next() * n);
    },
  };
}
