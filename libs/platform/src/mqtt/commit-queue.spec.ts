import pino from 'pino';
import { CommitQueue } from './commit-queue';

interface Item {
  id: number;
  at: number;
}

const logger = pino({ level: 'silent' });

function queue(commit: (items: Item[]) => Promise<void>, batchSize = 3) {
  const committed: number[][] = [];
  const q = new CommitQueue<Item>({
    batchSize,
    flushMs: 1,
    commit,
    onCommitted: (items) => committed.push(items.map((item) => item.id)),
    arrivedAt: (item) => item.at,
    logger,
  });
  return { q, committed };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('CommitQueue', () => {
  it('commits in arrival order, in batches of at most batchSize', async () => {
    const { q, committed } = queue(() => Promise.resolve());
    for (let id = 1; id <= 7; id++) q.add({ id, at: Date.now() });
    await until(() => committed.flat().length === 7);
    expect(committed.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(committed.every((batch) => batch.length <= 3)).toBe(true);
    expect(q.size).toBe(0);
  });

  it('retries a failed batch first and commits nothing behind it meanwhile', async () => {
    let failures = 2;
    const attempts: number[][] = [];
    const { q, committed } = queue((items) => {
      attempts.push(items.map((item) => item.id));
      return failures-- > 0 ? Promise.reject(new Error('database down')) : Promise.resolve();
    });
    for (let id = 1; id <= 4; id++) q.add({ id, at: Date.now() });
    await until(() => committed.flat().length === 4);
    expect(attempts.slice(0, 3)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(committed).toEqual([[1, 2, 3], [4]]);
  });

  it('reports the age of the oldest uncommitted item, also while it is being committed', async () => {
    let release: () => void = () => undefined;
    const { q } = queue(() => new Promise<void>((resolve) => (release = resolve)));
    q.add({ id: 1, at: 1_000 });
    q.add({ id: 2, at: 5_000 });
    expect(q.oldestAgeMs(11_000)).toBe(10_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(q.oldestAgeMs(11_000)).toBe(10_000);
    release();
    await until(() => q.size === 0);
    expect(q.oldestAgeMs()).toBe(0);
  });

  it('makes a producer wait while too much is held, and lets it go once a batch commits', async () => {
    let release: () => void = () => undefined;
    const { q } = queue(() => new Promise<void>((resolve) => (release = resolve)), 2);
    for (let id = 1; id <= 4; id++) q.add({ id, at: Date.now() });
    let resumed = false;
    void q.whenBelow(4).then(() => (resumed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resumed).toBe(false);
    release();
    await until(() => resumed);
    expect(q.size).toBeLessThan(4);
    release();
  });

  it('drops waiting items on request but never the batch being committed', async () => {
    let release: () => void = () => undefined;
    const { q, committed } = queue(() => new Promise<void>((resolve) => (release = resolve)), 2);
    for (let id = 1; id <= 5; id++) q.add({ id, at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(q.drop(() => true)).toBe(3);
    release();
    await until(() => committed.length === 1);
    expect(committed).toEqual([[1, 2]]);
  });

  it('counts weight for batches and for a waiting producer: a heavy item is a batch alone', async () => {
    const committed: number[][] = [];
    const q = new CommitQueue<Item & { weight: number }>({
      batchSize: 10,
      flushMs: 1,
      commit: () => new Promise((resolve) => setTimeout(resolve, 5)),
      onCommitted: (items) => committed.push(items.map((item) => item.id)),
      arrivedAt: (item) => item.at,
      weightOf: (item) => item.weight,
      logger,
    });
    const weights = [4, 4, 4, 25, 1, 9, 1];
    weights.forEach((weight, index) => q.add({ id: index + 1, at: Date.now(), weight }));
    expect(q.size).toBe(7);
    expect(q.weight).toBe(48);
    let released = false;
    const waiting = q.whenBelow(20).then(() => (released = true));
    await until(() => committed.length >= 2);
    expect(released).toBe(false); // 25 + 1 + 9 + 1 still held
    await waiting;
    await until(() => committed.flat().length === 7);
    expect(committed).toEqual([[1, 2], [3], [4], [5, 6], [7]]);
    expect(q.weight).toBe(0);
  });

  it('commits an urgent item without waiting for the flush interval, with what arrived before it', async () => {
    const committed: number[][] = [];
    const q = new CommitQueue<Item & { urgent?: boolean }>({
      batchSize: 100,
      flushMs: 60_000,
      commit: () => Promise.resolve(),
      onCommitted: (items) => committed.push(items.map((item) => item.id)),
      arrivedAt: (item) => item.at,
      isUrgent: (item) => item.urgent === true,
      logger,
    });
    q.add({ id: 1, at: Date.now() });
    q.add({ id: 2, at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Ordinary items wait for the (here, one-minute) interval or a full batch.
    expect(committed).toEqual([]);
    q.add({ id: 3, at: Date.now(), urgent: true });
    await until(() => committed.length === 1);
    // Arrival order holds: the urgent item takes the ones before it along, never overtakes them.
    expect(committed).toEqual([[1, 2, 3]]);
    await q.stop();
  });
});

describe('CommitQueue with fairKeyOf', () => {
  interface Keyed {
    id: string;
    key: string;
    weight: number;
  }

  function fairQueue(batchSize: number) {
    const committed: string[][] = [];
    const calls = { count: 0 };
    let release: () => void = () => undefined;
    let gate = Promise.resolve();
    const q = new CommitQueue<Keyed>({
      batchSize,
      flushMs: 1,
      commit: () => {
        calls.count++;
        return gate;
      },
      onCommitted: (items) => committed.push(items.map((item) => item.id)),
      arrivedAt: () => Date.now(),
      weightOf: (item) => item.weight,
      fairKeyOf: (item) => item.key,
      logger,
    });
    const hold = () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    };
    return { q, committed, calls, hold, release: () => release() };
  }

  it("takes a quiet device's message into the next batch, however long a flooding hub's backlog", async () => {
    const { q, committed, calls, hold, release } = fairQueue(1000);
    hold();
    // Twelve hub batches of 500 messages wait behind the one being committed.
    q.add({ id: 'hub-1', key: 'hub', weight: 500 });
    q.add({ id: 'hub-2', key: 'hub', weight: 500 });
    await until(() => calls.count === 1);
    for (let i = 3; i <= 12; i++) q.add({ id: `hub-${i}`, key: 'hub', weight: 500 });
    // Then another organisation's device sends one message.
    q.add({ id: 'quiet-1', key: 'quiet', weight: 1 });
    release();
    await until(() => committed.length >= 2);
    // It is in the next batch, not behind the hub's five more batches (FIFO would).
    expect(committed[0]).toEqual(['hub-1', 'hub-2']);
    expect(committed[1]).toEqual(['hub-3', 'quiet-1']);
    await until(() => committed.flat().length === 13);
    // The hub's own batches keep their order.
    expect(committed.flat().filter((id) => id.startsWith('hub'))).toEqual(
      Array.from({ length: 12 }, (_, i) => `hub-${i + 1}`),
    );
  });

  it('gives each key one turn per round, oldest key first, and keeps arrival order inside the batch', async () => {
    const { q, committed } = fairQueue(4);
    for (const [id, key] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['a3', 'a'],
      ['a4', 'a'],
      ['b1', 'b'],
      ['c1', 'c'],
      ['b2', 'b'],
    ])
      q.add({ id, key, weight: 1 });
    await until(() => committed.flat().length === 7);
    expect(committed[0]).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(committed.flat().sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1']);
  });
});
