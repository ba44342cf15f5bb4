import { buildDecision } from '../scripts/build-if-changed';

/** scripts/demo.sh skips the build only when the last one finished and nothing changed since it started. */
describe('the demo build decision', () => {
  const stamp = { startedAtMs: 1_000_000, durationMs: 31_400 };

  it('skips a current build and says how long it would have taken', () => {
    expect(buildDecision({ stamp, newestInputMs: 999_999, outputsPresent: true })).toEqual({
      build: false,
      savedSeconds: 31,
    });
  });

  it('rebuilds after a source change, even one made while the last build ran', () => {
    expect(buildDecision({ stamp, newestInputMs: 1_000_000, outputsPresent: true })).toMatchObject({
      build: true,
      reason: 'sources changed since the last build',
    });
    expect(buildDecision({ stamp, newestInputMs: 1_020_000, outputsPresent: true }).build).toBe(true);
  });

  it('rebuilds when no build finished (never built, or interrupted or failed midway)', () => {
    expect(buildDecision({ stamp: undefined, newestInputMs: 0, outputsPresent: true })).toMatchObject({
      build: true,
      reason: 'no record of a finished build',
    });
  });

  it('rebuilds when the output is gone', () => {
    expect(buildDecision({ stamp, newestInputMs: 0, outputsPresent: false })).toMatchObject({
      build: true,
      reason: 'build output is missing',
    });
  });
});
