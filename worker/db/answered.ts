/** Queries of the auto-close sweep (worker/jobs/auto-close.ts): answered tickets by age. */
import { type Claim, claim } from "./write";

/** An answered ticket as the sweep needs it. */
export interface AnsweredTicket {
  id: string;
  number: number;
  subject: string;
  requesterEmail: string;
  answeredAt: number;
}

interface AnsweredRow {
  id: string;
  number: number;
  subject: string;
  requester_email: string;
  answered_at: number;
}

/** Position in `ORDER BY answered_at, id`: the last ticket handled. */
export interface AnsweredCursor {
  answeredAt: number;
  id: string;
}

export interface AnsweredRange {
  tenantId: string;
  /** answered_at ≥ from */
  from: number;
  /** answered_at < before */
  before: number;
  /** Leave out tickets that already have this answer's closing-soon notice. */
  unwarnedOnly: boolean;
}

/** Ids of tenants with a ticket answered before `before`. */
export async function tenantsWithAnsweredBefore(
  db: D1Database,
  before: number,
): Promise<{ ids: string[]; result: D1Result }> {
  const result = await db
    .prepare(
      `SELECT id FROM tenants t
       WHERE EXISTS (SELECT 1 FROM tickets k WHERE k.tenant_id = t.id AND k.status = 'answered' AND k.answered_at < ?1)
       ORDER BY id`,
    )
    .bind(before)
    .all<{ id: string }>();
  return { ids: result.results.map((r) => r.id), result };
}

/** One page of a tenant's answered tickets in `range` after `cursor`, from the partial index, oldest answer first. */
export async function selectAnswered(
  db: D1Database,
  range: AnsweredRange,
  cursor: AnsweredCursor,
  limit: number,
): Promise<{ tickets: AnsweredTicket[]; result: D1Result }> {
  const lower = Math.max(range.from, cursor.answeredAt);
  const unwarned = range.unwarnedOnly
    ? `AND NOT EXISTS (SELECT 1 FROM notifications n
         WHERE n.tenant_id = ?1 AND n.dedupe_key = 'closing_soon:' || t.id || ':' || t.answered_at)`
    : "";
  const result = await db
    .prepare(
      `SELECT id, number, subject, requester_email, answered_at FROM tickets t
       WHERE tenant_id = ?1 AND status = 'answered' AND answered_at >= ?2 AND answered_at < ?3
         AND (answered_at > ?2 OR id > ?4) ${unwarned}
       ORDER BY answered_at, id LIMIT ?5`,
    )
    .bind(range.tenantId, lower, range.before, lower === cursor.answeredAt ? cursor.id : "", limit)
    .all<AnsweredRow>();
  return {
    result,
    tickets: result.results.map((r) => ({
      id: r.id,
      number: r.number,
      subject: r.subject,
      requesterEmail: r.requester_email,
      answeredAt: r.answered_at,
    })),
  };
}

/**
 * Closes a page of tickets, each only if it is still answered since the `answeredAt` the sweep
 * read: the claim of the page's change, lost (nothing closed) when any of them changed meanwhile.
 * Closing erases each ticket's sensitive value in the same statement. `+tenant_id` keeps SQLite on
 * the primary key (one lookup per ticket): offered tickets_answered_due (tenant, answered_at, id),
 * which this statement empties as it goes, it read about 88 rows per ticket closed.
 */
export function closeStillAnswered(db: D1Database, tenantId: string, tickets: AnsweredTicket[], now: number): Claim {
  const page = JSON.stringify(tickets.map((t) => [t.id, t.answeredAt]));
  return claim(
    db
      .prepare(
        `UPDATE tickets SET status = 'closed', closed_at = ?3, updated_at = ?3, last_activity_at = ?3, version = version + 1,
           sensitive = NULL
         WHERE id IN (SELECT value ->> 0 FROM json_each(?2)) AND +tenant_id = ?1 AND status = 'answered'
           AND (id, answered_at) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`,
      )
      .bind(tenantId, page, now),
    tickets.length,
  );
}
