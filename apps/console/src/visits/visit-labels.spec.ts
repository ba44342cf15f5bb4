import {
  deviceFailureMessage,
  deviceFailureOfError,
  formatDuration,
  isOpenVisit,
  isVideoNotConfigured,
  linkProblemOf,
  scheduledForFromLocal,
  visitStatusLabel,
} from './visit-labels';

describe('visit durations in words', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [59.6, '1 min'],
    [720, '12 min'],
    [725, '12 min 5 s'],
    [3600, '1 h'],
    [3780, '1 h 3 min'],
  ])('says %s seconds is %s', (seconds, words) => {
    expect(formatDuration(seconds)).toBe(words);
  });

  it('shows a dash when there is no duration yet', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-3)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('visit status labels', () => {
  it('tells the clinician the patient is waiting', () => {
    expect(visitStatusLabel('waiting')).toBe('Patient is waiting');
    expect(visitStatusLabel('in_progress')).toBe('In progress');
  });

  it('reads a status it does not know as itself', () => {
    expect(visitStatusLabel('on_hold')).toBe('on hold');
  });

  it('counts scheduled, waiting and in-progress visits as open', () => {
    expect(['scheduled', 'waiting', 'in_progress'].every(isOpenVisit)).toBe(true);
    expect(['completed', 'missed', 'cancelled'].some(isOpenVisit)).toBe(false);
  });
});

describe("what a patient's link problem is", () => {
  it('tells a used, an expired and an unknown link apart by their codes', () => {
    expect(linkProblemOf(410, { statusCode: 410, error: 'link_used', message: 'This link was used' })).toBe(
      'used',
    );
    expect(linkProblemOf(410, { code: 'link_expired' })).toBe('expired');
    expect(linkProblemOf(404, { message: 'link_not_found' })).toBe('not_found');
    expect(
      linkProblemOf(404, {
        statusCode: 404,
        error: 'Not Found',
        code: 'link_not_found',
        message: 'not valid',
      }),
    ).toBe('not_found');
  });

  it('tells a link replaced by a newer one and a link to an ended visit from an expired one', () => {
    expect(linkProblemOf(410, { code: 'link_expired', reason: 'voided' })).toBe('replaced');
    expect(linkProblemOf(410, { code: 'link_expired', reason: 'visit_closed' })).toBe('visit_ended');
    expect(linkProblemOf(410, { code: 'link_expired', reason: 'expired' })).toBe('expired');
  });

  it('falls back on the status when the body has no code', () => {
    expect(linkProblemOf(404, 'Not Found')).toBe('not_found');
    expect(linkProblemOf(410, null)).toBe('expired');
    expect(linkProblemOf(429, {})).toBe('rate_limited');
    expect(linkProblemOf(500, { message: 'Internal server error' })).toBe('unavailable');
  });

  it('recognises an unconfigured video service', () => {
    expect(linkProblemOf(503, { error: 'video_not_configured' })).toBe('not_configured');
    expect(isVideoNotConfigured(503, { code: 'video_not_configured' })).toBe(true);
    expect(isVideoNotConfigured(503, { message: 'Service Unavailable' })).toBe(false);
    expect(isVideoNotConfigured(500, { error: 'video_not_configured' })).toBe(false);
  });
});

describe('camera and microphone failures in words', () => {
  it('names the device and says how to allow it when permission was refused', () => {
    expect(deviceFailureMessage('PermissionDenied', 'videoinput')).toMatch(/not allowed to use your camera/);
    expect(deviceFailureMessage('PermissionDenied', 'audioinput')).toMatch(/microphone/);
    expect(deviceFailureMessage('NotFound', undefined)).toMatch(/No camera or microphone was found/);
  });

  it("maps getUserMedia's errors to livekit-client's failures", () => {
    expect(deviceFailureOfError(new DOMException('denied', 'NotAllowedError'))).toBe('PermissionDenied');
    expect(deviceFailureOfError(new DOMException('none', 'NotFoundError'))).toBe('NotFound');
    expect(deviceFailureOfError(new DOMException('busy', 'NotReadableError'))).toBe('DeviceInUse');
    expect(deviceFailureOfError('odd')).toBe('Other');
  });
});

describe('scheduling a visit from the date and time field', () => {
  const now = new Date(2026, 11, 7, 9, 0);

  it('sends the local time the coordinator chose as an instant', () => {
    expect(scheduledForFromLocal('2026-12-08T14:30', now)).toBe(new Date(2026, 11, 8, 14, 30).toISOString());
  });

  it('says what is wrong before asking the API', () => {
    expect(scheduledForFromLocal('', now)).toEqual({ problem: 'choose a date and time.' });
    expect(scheduledForFromLocal('2026-12-06T09:00', now)).toEqual({
      problem: 'choose a time that has not passed.',
    });
    expect(scheduledForFromLocal('2028-01-01T09:00', now)).toEqual({
      problem: 'choose a time within a year.',
    });
    expect(scheduledForFromLocal('not a time', now)).toEqual({
      problem: 'that date and time could not be read.',
    });
  });
});
