import { INTERRUPTED_EXIT_CODE, StartupInterrupt, StartupInterrupted } from './startup-interrupt';

describe('an interrupt during start-up', () => {
  const lines: string[] = [];
  const exits: number[] = [];
  let interrupt: StartupInterrupt;

  beforeEach(() => {
    jest.useFakeTimers();
    lines.length = 0;
    exits.length = 0;
    interrupt = new StartupInterrupt(
      'homeward-all',
      (line) => lines.push(line),
      (code) => exits.push(code),
    ).arm();
  });

  afterEach(() => {
    interrupt.disarm();
    jest.useRealTimers();
  });

  it('says so in one line and stops start-up at the next checkpoint, not in the middle of a step', () => {
    expect(() => interrupt.check()).not.toThrow();
    process.emit('SIGINT', 'SIGINT');
    expect(lines).toEqual(['homeward-all: interrupted during start-up; stopping\n']);
    expect(exits).toEqual([]);
    expect(() => interrupt.check()).toThrow(StartupInterrupted);
  });

  it('exits at once on a second signal, and when start-up does not return in time', () => {
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([INTERRUPTED_EXIT_CODE]);
    jest.advanceTimersByTime(15_000);
    expect(exits).toEqual([INTERRUPTED_EXIT_CODE, INTERRUPTED_EXIT_CODE]);
  });

  it('leaves signals to the shutdown hooks once start-up is done', () => {
    const before = process.listenerCount('SIGINT');
    const takeOver = jest.fn();
    interrupt.handOver(takeOver);
    expect(takeOver).toHaveBeenCalledTimes(1);
    expect(process.listenerCount('SIGINT')).toBe(before - 1);
  });
});
