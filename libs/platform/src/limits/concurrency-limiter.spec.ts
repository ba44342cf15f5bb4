import { ConcurrencyLimiter, LimiterFullError } from './concurrency-limiter';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
  it('runs at most its concurrency at once, queues in order, and refuses once the queue is full', async () => {
    const limiter = new ConcurrencyLimiter('test', 2, 1);
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        order.push(i);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(1);
    await expect(limiter.run(() => Promise.resolve(9))).rejects.toBeInstanceOf(LimiterFullError);
    gates[0].resolve();
    gates[1].resolve();
    gates[2].resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.running).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new ConcurrencyLimiter('test', 1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('drains thousands of waiters without losing one', async () => {
    const limiter = new ConcurrencyLimiter('test', 1, 5000);
    const results = await Promise.all(
      Array.from({ length: 5000 }, (_, i) => limiter.run(() => Promise.resolve(i))),
    );
    expect(results[4999]).toBe(4999);
    expect(limiter.queued).toBe(0);
  });
});
