import { PublishRateLimiter } from './publish-rate-limiter';

describe('PublishRateLimiter', () => {
  it('admits a device up to its budget, then refuses it until the window opens again', async () => {
    const limiter = new PublishRateLimiter(3);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await limiter.take('device-a'));
    expect(answers.map((answer) => answer.admitted)).toEqual([true, true, true, false, false]);
    expect(answers[3].retryAfterMs).toBeGreaterThan(0);
    expect(answers[3].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('marks only the first refusal in a window, so a flood is recorded once and counted', async () => {
    const limiter = new PublishRateLimiter(1);
    await limiter.take('device-a');
    const refusals = [await limiter.take('device-a'), await limiter.take('device-a')];
    expect(refusals.map((refusal) => refusal.firstRefusal)).toEqual([true, false]);
  });

  it('keeps each device to its own budget: one in a loop does not use up another', async () => {
    const limiter = new PublishRateLimiter(2);
    for (let i = 0; i < 10; i++) await limiter.take('looping');
    expect((await limiter.take('quiet')).admitted).toBe(true);
    expect((await limiter.take('quiet')).admitted).toBe(true);
    expect((await limiter.take('looping')).admitted).toBe(false);
  });

  it('weighs a hub batch by the device messages it holds, and lets a batch of a whole budget through once', async () => {
    const limiter = new PublishRateLimiter(600);
    expect((await limiter.take('hub', 500)).admitted).toBe(true);
    const refused = await limiter.take('hub', 500);
    expect(refused).toMatchObject({ admitted: false, firstRefusal: true });
    expect(await limiter.take('hub', 1)).toMatchObject({ admitted: false, firstRefusal: false });
    const big = new PublishRateLimiter(100);
    expect((await big.take('hub', 5000)).admitted).toBe(true);
    expect((await big.take('hub', 1)).admitted).toBe(false);
  });

  it('admits everything when the limit is 0', async () => {
    const limiter = new PublishRateLimiter(0);
    expect(limiter.limited).toBe(false);
    for (let i = 0; i < 1000; i++) expect((await limiter.take('device-a')).admitted).toBe(true);
  });

  it('holds an over-budget message until the next window instead of refusing it', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const limiter = new PublishRateLimiter(1);
      await limiter.admitted('device-a');
      let through = false;
      const waiting = limiter.admitted('device-a').then(() => (through = true));
      await jest.advanceTimersByTimeAsync(30_000);
      expect(through).toBe(false);
      await jest.advanceTimersByTimeAsync(31_000);
      await waiting;
      expect(through).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
