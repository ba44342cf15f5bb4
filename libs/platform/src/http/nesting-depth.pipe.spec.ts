import { BadRequestException } from '@nestjs/common';
import { MAX_INPUT_DEPTH, NestingDepthPipe, nestsDeeperThan } from './nesting-depth.pipe';

const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('nesting depth', () => {
  it('measures objects and arrays, not scalars', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('measures 30,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(30_000), MAX_INPUT_DEPTH)).toBe(true);
  });

  it('refuses a body deeper than the limit with a 400 naming the limit, and passes what fits', () => {
    const pipe = new NestingDepthPipe();
    const fits = nested(MAX_INPUT_DEPTH);
    expect(pipe.transform(fits, { type: 'body' })).toBe(fits);
    expect(() => pipe.transform(nested(MAX_INPUT_DEPTH + 1), { type: 'body' })).toThrow(BadRequestException);
    expect(() => pipe.transform(nested(3_000), { type: 'query' })).toThrow(
      /query nests deeper than 32 levels/,
    );
  });
});
