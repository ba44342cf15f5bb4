import { ACTIVE_ALERT_STATUSES } from '@homeward/contracts';
import { raisedStatus } from './alert-breach.service';

/** Where a worse breach leaves an active episode, in every active state (issue 18, item 2). */
describe('raisedStatus', () => {
  it.each(ACTIVE_ALERT_STATUSES.map((status) => [status] as const))(
    'never leaves an episode that was %s acknowledged after a worse breach',
    (status) => {
      const opened = raisedStatus(status, false);
      const asked = raisedStatus(status, true);
      // Never acknowledged after a rise: someone has to look at the worse finding.
      expect(opened).not.toBe('acknowledged');
      expect(asked).not.toBe('acknowledged');
      expect(['open', 'escalated', 'pending_confirmation']).toContain(opened);
      expect(['escalated', 'pending_confirmation']).toContain(asked);
    },
  );

  it('returns an acknowledged episode to open, or to pending_confirmation when its rule re-measures', () => {
    expect(raisedStatus('acknowledged', false)).toBe('open');
    expect(raisedStatus('acknowledged', true)).toBe('pending_confirmation');
    expect(raisedStatus('open', true)).toBe('pending_confirmation');
  });

  it('keeps an escalated episode escalated and a pending one pending', () => {
    expect(raisedStatus('escalated', true)).toBe('escalated');
    expect(raisedStatus('escalated', false)).toBe('escalated');
    expect(raisedStatus('pending_confirmation', false)).toBe('pending_confirmation');
  });
});
