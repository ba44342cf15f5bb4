import { Injectable } from '@nestjs/common';
import type { VisitParticipantRole } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { VisitParticipantRow, VisitSessionRow } from '../telehealth.rows';

const PARTICIPANT_COLUMNS = `id, visit_id AS "visitId", identity, role, user_id AS "userId", label,
  joined_at AS "joinedAt", left_at AS "leftAt", seconds`;

/** Who may be in a visit's room (`visit_participants`) and each connection's times (`visit_participant_sessions`). */
@Injectable()
export class VisitParticipantRepository {
  constructor(private readonly db: Database) {}

  /** A staff member's one participant in the visit, created on their first join. */
  async findOrCreateStaff(
    participant: { visitId: string; userId: string; role: VisitParticipantRole; identity: string },
    q: Queryable,
  ): Promise<VisitParticipantRow> {
    const { rows } = await q.query<VisitParticipantRow>(
      `INSERT INTO visit_participants (visit_id, identity, role, user_id)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (visit_id, user_id) WHERE user_id IS NOT NULL DO UPDATE SET role = visit_participants.role
       RETURNING ${PARTICIPANT_COLUMNS}`,
      [participant.visitId, participant.identity, participant.role, participant.userId],
    );
    return rows[0];
  }

  /** A patient's or guest's participant, created when their link is redeemed. */
  async insertLinked(
    participant: { visitId: string; role: 'patient' | 'guest'; label: string | null; identity: string },
    q: Queryable,
  ): Promise<VisitParticipantRow> {
    const { rows } = await q.query<VisitParticipantRow>(
      `INSERT INTO visit_participants (visit_id, identity, role, label) VALUES ($1, $2, $3, $4)
       RETURNING ${PARTICIPANT_COLUMNS}`,
      [participant.visitId, participant.identity, participant.role, participant.label],
    );
    return rows[0];
  }

  /** The participant behind a LiveKit identity, only if it belongs to this visit. */
  async findByIdentity(
    visitId: string,
    identity: string,
    q: Queryable,
  ): Promise<VisitParticipantRow | undefined> {
    const { rows } = await q.query<VisitParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM visit_participants WHERE visit_id = $1 AND identity = $2`,
      [visitId, identity],
    );
    return rows[0];
  }

  async listForVisit(visitId: string, q: Queryable = this.db): Promise<VisitParticipantRow[]> {
    const { rows } = await q.query<VisitParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM visit_participants WHERE visit_id = $1
       ORDER BY joined_at NULLS LAST, created_at`,
      [visitId],
    );
    return rows;
  }

  /**
   * A connection's join, whether or not its leave arrived first. After the room's end
   * (`closedAt`) a late join is closed at once, at the end.
   */
  async recordJoin(
    session: { sid: string; participantId: string; at: Date; closedAt: Date | null },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `INSERT INTO visit_participant_sessions (sid, participant_id, joined_at, left_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (sid) DO UPDATE
         SET joined_at = LEAST(visit_participant_sessions.joined_at, EXCLUDED.joined_at),
             left_at = COALESCE(visit_participant_sessions.left_at, EXCLUDED.left_at)`,
      [session.sid, session.participantId, session.at, session.closedAt],
    );
  }

  /** A connection's leave, whether or not its join arrived first. */
  async recordLeave(session: { sid: string; participantId: string; at: Date }, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO visit_participant_sessions (sid, participant_id, left_at) VALUES ($1, $2, $3)
       ON CONFLICT (sid) DO UPDATE
         SET left_at = GREATEST(visit_participant_sessions.left_at, EXCLUDED.left_at)`,
      [session.sid, session.participantId, session.at],
    );
  }

  /** Closes at `at` every connection of the visit still open (the room ended with them in it). */
  async closeOpenSessions(visitId: string, at: Date, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE visit_participant_sessions s SET left_at = GREATEST(s.joined_at, $2::timestamptz)
       FROM visit_participants p
       WHERE p.id = s.participant_id AND p.visit_id = $1 AND s.joined_at IS NOT NULL AND s.left_at IS NULL`,
      [visitId, at],
    );
  }

  async listSessions(visitId: string, q: Queryable): Promise<VisitSessionRow[]> {
    const { rows } = await q.query<VisitSessionRow>(
      `SELECT s.sid, s.participant_id AS "participantId", p.role, s.joined_at AS "joinedAt", s.left_at AS "leftAt"
       FROM visit_participant_sessions s JOIN visit_participants p ON p.id = s.participant_id
       WHERE p.visit_id = $1 ORDER BY s.joined_at NULLS LAST, s.sid`,
      [visitId],
    );
    return rows;
  }

  /** Each participant's first join, last leave (none while connected) and seconds connected, from its sessions. */
  async refreshTotals(visitId: string, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE visit_participants p SET
         joined_at = t.joined_at,
         left_at = CASE WHEN t.open THEN NULL ELSE t.left_at END,
         seconds = t.seconds
       FROM (
         SELECT s.participant_id, min(s.joined_at) AS joined_at, max(s.left_at) AS left_at,
                bool_or(s.joined_at IS NOT NULL AND s.left_at IS NULL) AS open,
                COALESCE(floor(sum(EXTRACT(EPOCH FROM (s.left_at - s.joined_at)))
                  FILTER (WHERE s.joined_at IS NOT NULL AND s.left_at IS NOT NULL)), 0)::integer AS seconds
         FROM visit_participant_sessions s JOIN visit_participants vp ON vp.id = s.participant_id
         WHERE vp.visit_id = $1 GROUP BY s.participant_id
       ) t
       WHERE p.id = t.participant_id`,
      [visitId],
    );
  }
}
