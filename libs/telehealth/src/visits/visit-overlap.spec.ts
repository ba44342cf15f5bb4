import { careTimeSeconds, overlapMilliseconds, unionOf } from './visit-overlap';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, second));
const span = (start: number, end: number) => ({ start: start * 1000, end: end * 1000 });

describe('care time of a video visit', () => {
  it('merges overlapping and touching intervals, dropping empty ones', () => {
    expect(unionOf([span(10, 20), span(0, 5), span(5, 8), span(15, 30), span(40, 40)])).toEqual([
      span(0, 8),
      span(10, 30),
    ]);
  });

  it('counts only the time both sides share, however each side overlaps itself', () => {
    expect(overlapMilliseconds([span(0, 10), span(5, 20)], [span(15, 40)])).toBe(5000);
    expect(overlapMilliseconds([span(0, 10), span(30, 50)], [span(5, 35)])).toBe(10_000);
    expect(overlapMilliseconds([span(0, 10)], [span(10, 20)])).toBe(0);
    expect(overlapMilliseconds([], [span(0, 10)])).toBe(0);
  });

  it('counts a clinician and a coordinator present at once only once, and never a guest with the patient alone', () => {
    const seconds = careTimeSeconds(
      [
        { role: 'clinician', joinedAt: at(0), leftAt: at(30) },
        { role: 'coordinator', joinedAt: at(10), leftAt: at(50) },
        { role: 'guest', joinedAt: at(0), leftAt: at(59) },
        { role: 'patient', joinedAt: at(20), leftAt: at(59) },
      ],
      at(59),
    );
    expect(seconds).toBe(30);
  });

  it('closes a connection still open at the room end, and leaves out one whose join never arrived', () => {
    const seconds = careTimeSeconds(
      [
        { role: 'clinician', joinedAt: at(0), leftAt: null },
        { role: 'patient', joinedAt: at(10), leftAt: at(20) },
        { role: 'patient', joinedAt: at(40), leftAt: null },
        { role: 'patient', joinedAt: null, leftAt: at(5) },
      ],
      at(50),
    );
    expect(seconds).toBe(20);
  });

  it('counts a patient who rejoined after a dropped connection for each stretch', () => {
    const seconds = careTimeSeconds(
      [
        { role: 'clinician', joinedAt: at(0), leftAt: at(59) },
        { role: 'patient', joinedAt: at(5), leftAt: at(15) },
        { role: 'patient', joinedAt: at(18), leftAt: at(28) },
      ],
      at(59),
    );
    expect(seconds).toBe(20);
  });
});
