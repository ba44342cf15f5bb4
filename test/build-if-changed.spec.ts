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

  it('rebuilds when the output was rewritten after the recorded build (npm test’s build, interrupted perhaps)', () => {
    const ended = stamp.startedAtMs + stamp.durationMs;
    expect(
      buildDecision({ stamp, newestInputMs: 0, outputsPresent: true, newestOutputMs: ended + 60_000 }),
    ).toMatchObject({
      build: true,
      reason: expect.stringContaining('rebuilt since the recorded build') as string,
    });
    // The recorded build's own last writes are no reason.
    expect(
      buildDecision({ stamp, newestInputMs: 0, outputsPresent: true, newestOutputMs: ended }).build,
    ).toBe(false);
  });
});
