import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/**
 * The deepest nesting any route's body or query needs is a handful of levels (an object of
 * arrays of objects); 32 leaves room for every documented schema.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Whether a parsed JSON value nests deeper than `max` objects or arrays. Iterative, so a
 * 60 KB body of `[[[[…` (30,000 levels) is measured without recursion.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const child of Array.isArray(next.value) ? next.value : Object.values(next.value)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth });
    }
  }
  return false;
}

/**
 * Refuses deeply nested input before anything recursive walks it: class-transformer and the
 * other pipes recurse per level, and a few kilobytes of nesting overflow their stack (a 500).
 */
@Injectable()
export class NestingDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || !nestsDeeperThan(value, MAX_INPUT_DEPTH)) return value;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      code: 'input_too_deep',
      message: `${metadata.type === 'body' ? 'body' : 'query'} nests deeper than ${MAX_INPUT_DEPTH} levels`,
    });
  }
}
