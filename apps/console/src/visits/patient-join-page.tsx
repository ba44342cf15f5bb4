import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { DeviceCheck, type DeviceCheckResult } from './device-check';
import { LinkProblemPage } from './link-problem';
import { joinWithCode } from './visit-api';
import { linkProblemOf, type LinkProblem } from './visit-labels';
import { VisitRoom } from './visit-room';
import type { PatientJoinGrant } from './visit-types';
import './visits.css';

type Phase =
  | { phase: 'check' }
  | { phase: 'joining' }
  | { phase: 'call'; grant: PatientJoinGrant; devices: DeviceCheckResult }
  | {
      phase: 'left';
      reason: 'left' | 'ended';
      grant: PatientJoinGrant;
      devices: DeviceCheckResult;
      /** The token still opens a first connection (it only guards that). */
      canRejoin: boolean;
    }
  | { phase: 'problem'; problem: LinkProblem };

const GRANT_KEY = 'homeward.visit-grant';

/**
 * The code works once: the token it bought is kept in this tab (sessionStorage, gone with the
 * tab) while it can still open a first connection, so a reload during the call rejoins instead
 * of landing on "this link has already been used".
 */
function keepGrant(code: string, grant: PatientJoinGrant): void {
  try {
    sessionStorage.setItem(GRANT_KEY, JSON.stringify({ code, grant }));
  } catch {
    // Storage disabled: a reload asks for a new link.
  }
}

function keptGrant(code: string): PatientJoinGrant | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(GRANT_KEY) ?? 'null') as {
      code?: string;
      grant?: PatientJoinGrant;
    } | null;
    if (kept?.code !== code || !kept.grant || !(Date.parse(kept.grant.expiresAt) > Date.now())) return null;
    return kept.grant;
  } catch {
    return null;
  }
}

/**
 * The patient's (or a guest's) page, opened from the link in their message: no sign-in, made for
 * a phone. The one-time code is exchanged only when they press Join, so checking the camera or
 * reloading before that does not use it up.
 */
export function PatientJoinPage() {
  const [params] = useSearchParams();
  const code = params.get('code')?.trim() ?? '';
  const [phase, setPhase] = useState<Phase>(
    code ? { phase: 'check' } : { phase: 'problem', problem: 'not_found' },
  );

  useEffect(() => {
    document.title = 'Video visit · Homeward';
  }, []);

  const join = (devices: DeviceCheckResult) => {
    const kept = keptGrant(code);
    if (kept) {
      setPhase({ phase: 'call', grant: kept, devices });
      return;
    }
    setPhase({ phase: 'joining' });
    joinWithCode(code).then(
      (grant) => {
        keepGrant(code, grant);
        setPhase({ phase: 'call', grant, devices });
      },
      (error: unknown) =>
        setPhase({
          phase: 'problem',
          problem: error instanceof ApiError ? linkProblemOf(error.status, error.body) : 'unavailable',
        }),
    );
  };

  return (
    <main className="patient-visit" id="main">
      {phase.phase === 'problem' ? (
        <LinkProblemPage problem={phase.problem} />
      ) : phase.phase === 'call' ? (
        <>
          <h1 className="visually-hidden">Your video visit</h1>
          <VisitRoom
            serverUrl={phase.grant.url}
            token={phase.grant.token}
            variant="patient"
            video={phase.devices.camera}
            audio={phase.devices.microphone}
            onLeave={(reason) =>
              setPhase({
                ...phase,
                phase: 'left',
                reason,
                canRejoin: reason === 'left' && Date.parse(phase.grant.expiresAt) > Date.now(),
              })
            }
          />
        </>
      ) : phase.phase === 'left' ? (
        <section aria-labelledby="left-title" className="visit-left">
          <h1 id="left-title">
            {phase.reason === 'ended' ? 'The visit has ended' : 'You have left the visit'}
          </h1>
          <p>You can close this page.</p>
          {phase.canRejoin ? (
            <button
              type="button"
              className="primary big"
              onClick={() => setPhase({ phase: 'call', grant: phase.grant, devices: phase.devices })}
            >
              Rejoin
            </button>
          ) : null}
        </section>
      ) : (
        <>
          <h1>Your video visit</h1>
          <p className="lead">
            Your care team will see and hear you. Check your camera and microphone, then press Join.
          </p>
          <DeviceCheck onJoin={join} joining={phase.phase === 'joining'} />
        </>
      )}
    </main>
  );
}
