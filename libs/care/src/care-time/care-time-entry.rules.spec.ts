import { checkCareTimeEntry, checkText } from './care-time-entry.rules';

describe('care-time entry checks', () => {
  const now = new Date('2026-03-15T12:00:00Z');
  const entry = { seconds: 600, performedAt: new Date('2026-03-15T11:00:00Z') };

  it('accepts whole seconds from 1 to 86400 and names the bound when refusing', () => {
    expect(checkCareTimeEntry({ ...entry, seconds: 1 }, now)).toBeNull();
    expect(checkCareTimeEntry({ ...entry, seconds: 86_400 }, now)).toBeNull();
    for (const seconds of [0, -5, 86_401, 1.5, Number.NaN])
      expect(checkCareTimeEntry({ ...entry, seconds }, now)?.message).toContain('between 1 and 86400');
  });

  it('allows five minutes of clock skew, not more, and nothing older than a year', () => {
    expect(checkCareTimeEntry({ ...entry, performedAt: new Date('2026-03-15T12:04:59Z') }, now)).toBeNull();
    expect(checkCareTimeEntry({ ...entry, performedAt: new Date('2026-03-15T12:06:00Z') }, now)).toEqual({
      code: 'care_time_performed_at',
      message: 'performedAt must not be in the future',
    });
    expect(checkCareTimeEntry({ ...entry, performedAt: new Date('2025-04-01T00:00:00Z') }, now)).toBeNull();
    expect(checkCareTimeEntry({ ...entry, performedAt: new Date('2025-03-01T00:00:00Z') }, now)?.code).toBe(
      'care_time_performed_at',
    );
  });

  it('refuses a note with a NUL character or over 2000 characters', () => {
    expect(checkCareTimeEntry({ ...entry, note: 'Called about the cuff' }, now)).toBeNull();
    expect(checkCareTimeEntry({ ...entry, note: 'a\u0000b' }, now)).toEqual({
      code: 'care_time_note',
      message: 'note must not contain NUL characters or unpaired UTF-16 surrogates',
    });
    expect(checkCareTimeEntry({ ...entry, note: 'x'.repeat(2001) }, now)?.message).toBe(
      'note must be at most 2000 characters',
    );
    expect(checkText('reason', 'x'.repeat(10), 5)?.code).toBe('care_time_reason');
  });
});
