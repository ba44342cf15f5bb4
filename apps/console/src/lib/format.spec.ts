import { formatAge } from './format';

describe('formatAge', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it.each([
    ['2026-11-26T11:59:30Z', 'just now'],
    ['2026-11-26T11:55:00Z', '5 min ago'],
    ['2026-11-26T11:00:01Z', '59 min ago'],
    ['2026-11-26T09:00:00Z', '3 h ago'],
    ['2026-11-24T12:00:00Z', '2 d ago'],
  ])('says %s is %s', (iso, words) => {
    expect(formatAge(iso, now)).toBe(words);
  });
});
