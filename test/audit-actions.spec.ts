import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_AUDIT_ACTIONS } from '@homeward/access';
import { ALERTING_AUDIT_ACTIONS } from '@homeward/alerting';
import { CARE_AUDIT_ACTIONS } from '@homeward/care';
import { AUDIT_ACTION_PATTERN, IDENTITY_AUDIT_ACTIONS, defineAuditActions } from '@homeward/identity';
import { MONITORING_AUDIT_ACTIONS } from '@homeward/monitoring';
import { NOTIFICATIONS_AUDIT_ACTIONS } from '@homeward/notifications';
import { PATIENTS_AUDIT_ACTIONS } from '@homeward/patients';
import { TELEHEALTH_AUDIT_ACTIONS } from '@homeward/telehealth';

const DECLARED: Record<string, readonly string[]> = {
  identity: IDENTITY_AUDIT_ACTIONS,
  access: ACCESS_AUDIT_ACTIONS,
  patients: PATIENTS_AUDIT_ACTIONS,
  monitoring: MONITORING_AUDIT_ACTIONS,
  alerting: ALERTING_AUDIT_ACTIONS,
  notifications: NOTIFICATIONS_AUDIT_ACTIONS,
  telehealth: TELEHEALTH_AUDIT_ACTIONS,
  care: CARE_AUDIT_ACTIONS,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    // The declarations themselves (`<lib>.audit.ts`) are not uses.
    return /\.ts$/.test(entry.name) && !/\.((int-)?spec|audit)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Action literals a lib's code hands to the audit: `record(x, 'a.b'` and `get(x, y, 'a.b')`-style pass-throughs. */
function actionsUsed(lib: string): Set<string> {
  const used = new Set<string>();
  for (const file of sources(join(__dirname, '..', 'libs', lib, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\.record(?:Unauthenticated)?\(\s*[\w.]+,\s*'([^']+)'/g))
      used.add(match[1]);
    for (const match of text.matchAll(/(?:action|'[^']+'\s*\|)[^'\n]*=\s*'([a-z_]+(?:\.[a-z_]+)+)'/g))
      used.add(match[1]);
    for (const match of text.matchAll(/this\.\w+\.\w+\([^()]*?,\s*'([a-z_]+(?:\.[a-z_]+)+)'\s*\)/g))
      used.add(match[1]);
  }
  return used;
}

describe('audit actions', () => {
  const all = Object.values(DECLARED).flat();

  it('are domain.verb words, each declared by one domain', () => {
    for (const action of all) expect(action).toMatch(AUDIT_ACTION_PATTERN);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keep every action already stored', () => {
    // Rows in audit_events carry these strings: a rename would orphan them.
    for (const action of [
      'patient.read',
      'device.rotate_secret',
      'alert.stream',
      'visit.link.redeem',
      'care_time.void',
    ])
      expect(all).toContain(action);
  });

  it.each(Object.keys(DECLARED))('%s records only declared actions, and uses each it declares', (lib) => {
    const used = actionsUsed(lib);
    expect(used.size).toBeGreaterThan(0);
    for (const action of used) expect(all).toContain(action);
    const notUsed = DECLARED[lib].filter((action) => {
      if (used.has(action)) return false;
      // An action may be recorded by a generic call (an `action` argument): its literal still appears.
      return !sources(join(__dirname, '..', 'libs', lib, 'src')).some((file) =>
        readFileSync(file, 'utf8').includes(`'${action}'`),
      );
    });
    expect(notUsed).toEqual([]);
  });

  it('refuses an action that is not domain.verb when a domain declares it', () => {
    expect(() => defineAuditActions(['patient.read', 'Patient Read' as 'a.b'])).toThrow('Not a domain.verb');
  });
});
