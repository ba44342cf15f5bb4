import { latencyFigures, percentile, ratePerSecond, seededRandom } from './stats';

describe('benchmark statistics', () => {
  it('summarises unsorted samples without changing them', () => {
    const samples = [9, 1, 5, 3, 7];
    expect(latencyFigures(samples)).toEqual({ count: 5, p50Ms: 5, p95Ms: 8.6, p99Ms: 8.92, maxMs: 9 });
    expect(samples).toEqual([9, 1, 5, 3, 7]);
    expect(latencyFigures([]).count).toBe(0);
  });

  it('turns two counts into a rate', () => {
    expect(ratePerSecond(1000, 31_000, 10_000)).toBe(3000);
    expect(ratePerSecond(5, 5, 0)).toBe(0);
  });
});

describe('percentile', () => {
  it('interpolates between the two nearest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
  });

  it('does not depend on the order of the values, nor change them', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('gives the extremes at 0 and 100 and the value itself for one sample', () => {
    expect(percentile([7, 3, 9], 0)).toBe(3);
    expect(percentile([7, 3, 9], 100)).toBe(9);
    expect(percentile([42], 95)).toBe(42);
  });

  it('is NaN without values and refuses a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('p95 of 1..100 is 95.05 (linear, as NumPy computes it)', () => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBeCloseTo(95.05);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed, within [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(first[0]);
  });
});
