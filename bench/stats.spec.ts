import { latencyFigures, percentile, ratePerSecond } from './stats';

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises unsorted samples without changing them', () => {
    const samples = [9, 1, 5, 3, 7];
    expect(latencyFigures(samples)).toEqual({ count: 5, p50Ms: 5, p95Ms: 9, p99Ms: 9, maxMs: 9 });
    expect(samples).toEqual([9, 1, 5, 3, 7]);
    expect(latencyFigures([]).count).toBe(0);
  });

  it('turns two counts into a rate', () => {
    expect(ratePerSecond(1000, 31_000, 10_000)).toBe(3000);
    expect(ratePerSecond(5, 5, 0)).toBe(0);
  });
});
