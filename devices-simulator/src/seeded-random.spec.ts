import { createSeededRandom, hashSeed } from './seeded-random';

describe('createSeededRandom', () => {
  const draw = (seed: string, n: number): number[] => {
    const rng = createSeededRandom(seed);
    return Array.from({ length: n }, () => rng.next());
  };

  it('repeats the same sequence for the same seed', () => {
    expect(draw('homeward|patient-1', 50)).toEqual(draw('homeward|patient-1', 50));
  });

  it('gives different sequences for different seeds', () => {
    expect(draw('homeward|patient-1', 10)).not.toEqual(draw('homeward|patient-2', 10));
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
  });

  it('stays within [0, 1) and within uniform bounds', () => {
    const rng = createSeededRandom('bounds');
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const u = rng.uniform(118, 150);
      expect(u).toBeGreaterThanOrEqual(118);
      expect(u).toBeLessThan(150);
    }
  });

  it('draws normal values with the requested mean and spread', () => {
    const rng = createSeededRandom('normal');
    const values = Array.from({ length: 20_000 }, () => rng.normal(120, 6));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(mean).toBeCloseTo(120, 0);
    expect(sd).toBeGreaterThan(5.7);
    expect(sd).toBeLessThan(6.3);
  });

  it('picks every item of a list eventually and refuses an empty list', () => {
    const rng = createSeededRandom('pick');
    const seen = new Set(Array.from({ length: 200 }, () => rng.pick(['a', 'b', 'c'])));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => rng.pick([])).toThrow();
  });
});
