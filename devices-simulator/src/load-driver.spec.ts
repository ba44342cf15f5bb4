import { LoadPacer, messagesDueBy, perDevicePerMinute } from './load-driver';

describe('load pacing', () => {
  it('computes how many messages are due by a point in the run', () => {
    expect(messagesDueBy(0, 1000)).toBe(0);
    expect(messagesDueBy(4, 1000)).toBe(4);
    expect(messagesDueBy(999, 3)).toBe(2);
    expect(messagesDueBy(1000, 3)).toBe(3);
    expect(messagesDueBy(-5, 10)).toBe(0);
  });

  it('holds the average rate over irregular ticks and catches up after a late one', () => {
    const pacer = new LoadPacer(2000, 7);
    let sent = 0;
    for (const t of [5, 10, 15, 60, 65, 1000]) sent += pacer.take(t).length;
    expect(sent).toBe(2000);
    expect(pacer.total).toBe(2000);
  });

  it('spreads messages over devices in turn', () => {
    const pacer = new LoadPacer(1000, 3);
    expect(pacer.take(7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(pacer.take(9)).toEqual([1, 2]);
  });

  it('tells how many messages a minute each device sends', () => {
    expect(perDevicePerMinute(2000, 200)).toBe(600);
    expect(perDevicePerMinute(50, 5)).toBe(600);
  });
});
