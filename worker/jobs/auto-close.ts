import { insertHistory } from "../db/history";
import { insertMessage } from "../db/messages";
import { insertNotification } from "../db/notifications";
import { readTenant } from "../db/tenants";
import { SYSTEM_ACTOR } from "../tickets/lifecycle";

/**
 * Auto-close (SPEC "Statuses"): a ticket left `answered` for more than its tenant's
 * `autoCloseHours` is closed by the system, with a history entry, a message the customer sees
 * and an `auto_closed` notice; a `closing_soon` notice goes out 24 hours before that.
 *
 * Idempotent and safe to overlap: every close is an UPDATE conditional on the ticket still being
 * `answered` since the same instant, and the rows that belong to it are chained after it with
 * `afterChange`, so two sweeps (or a retry) never close a ticket twice. Work is done in bounded
 * batches read from the `tickets_answered_due` partial index; a sweep stopped by `maxBatches`
 * reports `done: false` and the next one picks up where it left off.
 */

const HOUR_MS = 3_600_000;
/** The closing-soon notice goes out this long before a ticket would close. */
const NOTICE_HOURS = 24;
/** TenantConfig's smallest `autoCloseHours`: no ticket answered more recently can be due for anything. */
const SHORTEST_WINDOW_HOURS = 1;
/** Tickets per D1 batch (4 statements each when closing). */
const DEFAULT_BATCH_SIZE = 100;
/** Write batches per sweep: keeps one cron invocation well inside D1's per-invocation query limit. */
const DEFAULT_MAX_BATCHES = 50;

export interface AutoCloseOptions {
  /** Tickets per D1 batch. */
  batchSize?: number;
  /** Stop after this many write batches (closing and notices together); the next sweep resumes. */
  maxBatches?: number;
}

export interface AutoCloseStats {
  /** Closing-soon notices recorded by this sweep. */
  warned: number;
  /** Tickets this sweep closed (a ticket another sweep closed first is not counted). */
  closed: number;
  /** D1 write batches. */
  batches: number;
  /** Summed `meta.rows_read` of the sweep's own statements (tenant config reads excluded). */
  rowsRead: number;
  rowsWritten: number;
  /** False when the sweep stopped at `maxBatches` with work still due. */
  done: boolean;
}

/** An answered ticket as the sweep needs it. */
interface AnsweredTicket {
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
interface Cursor {
  answeredAt: number;
  id: string;
}

interface Range {
  tenantId: string;
  /** answered_at ≥ from */
  from: number;
  /** answered_at < before */
  before: number;
  /** Leave out tickets that already have this answer's closing-soon notice. */
  unwarnedOnly: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function autoCloseReason(hours: number): string {
  return `Closed automatically after ${hours} ${hours === 1 ? "hour" : "hours"} without a reply`;
}

function autoCloseMessage(hours: number): string {
  return `This ticket was closed automatically after ${hours} ${hours === 1 ? "hour" : "hours"} without a reply. Reply to re-open it.`;
}

/** Ids of tenants with an answered ticket old enough to be due for a notice or a close. */
async function tenantsWithAnsweredTickets(db: D1Database, now: number, stats: AutoCloseStats): Promise<string[]> {
  const result = await db
    .prepare(
      `SELECT id FROM tenants t
       WHERE EXISTS (SELECT 1 FROM tickets k WHERE k.tenant_id = t.id AND k.status = 'answered' AND k.answered_at < ?1)
       ORDER BY id`,
    )
    .bind(now - SHORTEST_WINDOW_HOURS * HOUR_MS)
    .all<{ id: string }>();
  tally(stats, [result]);
  return result.results.map((r) => r.id);
}

/** One page of a tenant's answered tickets in `range` after `cursor`, from the partial index, oldest answer first. */
async function selectAnswered(db: D1Database, range: Range, cursor: Cursor, limit: number, stats: AutoCloseStats): Promise<AnsweredTicket[]> {
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
  tally(stats, [result]);
  return result.results.map((r) => ({
    id: r.id,
    number: r.number,
    subject: r.subject,
    requesterEmail: r.requester_email,
    answeredAt: r.answered_at,
  }));
}

function tally(stats: AutoCloseStats, results: D1Result[]): void {
  for (const r of results) {
    stats.rowsRead += r.meta.rows_read ?? 0;
    stats.rowsWritten += r.meta.rows_written ?? 0;
  }
}

/**
 * Pages through `range` in keyset order, writing one D1 batch per page. Returns false when it
 * stopped at `maxBatches` with tickets still to do. The keyset means a ticket that could not be
 * handled (changed meanwhile) is never picked up again in this sweep, so the loop always ends.
 */
async function sweepRange(
  db: D1Database,
  range: Range,
  limits: { batchSize: number; maxBatches: number },
  stats: AutoCloseStats,
  write: (page: AnsweredTicket[]) => D1PreparedStatement[],
  counted: (results: D1Result[]) => void,
): Promise<boolean> {
  let cursor: Cursor = { answeredAt: range.from, id: "" };
  for (;;) {
    const budgetLeft = stats.batches < limits.maxBatches;
    // Out of budget, one row is enough to tell whether anything is left.
    const page = await selectAnswered(db, range, cursor, budgetLeft ? limits.batchSize : 1, stats);
    if (page.length === 0) return true;
    if (!budgetLeft) return false;
    const results = await db.batch(write(page));
    stats.batches += 1;
    tally(stats, results);
    counted(results);
    if (page.length < limits.batchSize) return true;
    const last = page[page.length - 1]!;
    cursor = { answeredAt: last.answeredAt, id: last.id };
  }
}

/** Statements per closed ticket in a batch; the first is the conditional update. */
const CLOSE_STATEMENTS = 4;

/** The statements that close one ticket: a conditional update, then the rows that only exist if it changed the ticket. */
function closeTicket(db: D1Database, tenantId: string, ticket: AnsweredTicket, hours: number, now: number): D1PreparedStatement[] {
  const update = db
    .prepare(
      `UPDATE tickets SET status = 'closed', closed_at = ?4, updated_at = ?4, last_activity_at = ?4, version = version + 1
       WHERE id = ?1 AND tenant_id = ?2 AND status = 'answered' AND answered_at = ?3`,
    )
    .bind(ticket.id, tenantId, ticket.answeredAt, now);
  const chained = { afterChange: true };
  return [
    update,
    insertHistory(
      db,
      {
        id: crypto.randomUUID(),
        tenantId,
        ticketId: ticket.id,
        field: "status",
        from: "answered",
        to: "closed",
        actorKind: SYSTEM_ACTOR.kind,
        actorId: SYSTEM_ACTOR.id,
        actorName: SYSTEM_ACTOR.name,
        reason: autoCloseReason(hours),
        createdAt: now,
      },
      chained,
    ),
    insertMessage(
      db,
      {
        id: crypto.randomUUID(),
        tenantId,
        ticketId: ticket.id,
        authorKind: SYSTEM_ACTOR.kind,
        authorId: SYSTEM_ACTOR.id,
        authorName: SYSTEM_ACTOR.name,
        body: autoCloseMessage(hours),
        internal: false,
        source: "system",
        createdAt: now,
      },
      chained,
    ),
    // Last in the chain: OR IGNORE can leave changes() at 0, which must not stop anything after it.
    insertNotification(
      db,
      {
        id: crypto.randomUUID(),
        tenantId,
        ticketId: ticket.id,
        kind: "auto_closed",
        recipient: ticket.requesterEmail,
        dedupeKey: `auto_closed:${ticket.id}:${ticket.answeredAt}`,
        payload: { number: ticket.number, subject: ticket.subject, closedAt: iso(now), hours },
        createdAt: now,
      },
      chained,
    ),
  ];
}

function closingSoonNotice(db: D1Database, tenantId: string, ticket: AnsweredTicket, hours: number, now: number): D1PreparedStatement {
  return insertNotification(db, {
    id: crypto.randomUUID(),
    tenantId,
    ticketId: ticket.id,
    kind: "closing_soon",
    recipient: ticket.requesterEmail,
    // Keyed by the answer it warns about: a ticket answered again later gets a fresh notice.
    dedupeKey: `closing_soon:${ticket.id}:${ticket.answeredAt}`,
    payload: { number: ticket.number, subject: ticket.subject, closesAt: iso(ticket.answeredAt + hours * HOUR_MS) },
    createdAt: now,
  });
}

/**
 * Closes every ticket `answered` for more than its tenant's auto-close hours (strictly: at
 * exactly 72 h nothing happens yet) and records the closing-soon notices that are due, as of `now`.
 */
export async function sweepAnsweredTickets(db: D1Database, now: number, options: AutoCloseOptions = {}): Promise<AutoCloseStats> {
  const limits = {
    batchSize: Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)),
    maxBatches: Math.max(0, Math.floor(options.maxBatches ?? DEFAULT_MAX_BATCHES)),
  };
  const stats: AutoCloseStats = { warned: 0, closed: 0, batches: 0, rowsRead: 0, rowsWritten: 0, done: true };

  for (const tenantId of await tenantsWithAnsweredTickets(db, now, stats)) {
    const tenant = await readTenant(db, tenantId);
    if (!tenant) continue;
    const hours = tenant.config.autoCloseHours;
    const closeBefore = now - hours * HOUR_MS;

    // Closed tickets leave the partial index, so this range only ever holds what is still due.
    const closedAll = await sweepRange(
      db,
      { tenantId, from: Number.MIN_SAFE_INTEGER, before: closeBefore, unwarnedOnly: false },
      limits,
      stats,
      (page) => page.flatMap((t) => closeTicket(db, tenantId, t, hours, now)),
      (results) => {
        stats.closed += results.filter((r, i) => i % CLOSE_STATEMENTS === 0 && r.meta.changes === 1).length;
      },
    );
    if (!closedAll) return { ...stats, done: false };

    // With 24 hours or fewer there is no "24 hours before" to warn at: the auto_closed notice is the only one.
    if (hours <= NOTICE_HOURS) continue;
    // Warned tickets stay answered, so bound the scan to the 24-hour band before closing (each is re-read at most until it closes).
    const warnedAll = await sweepRange(
      db,
      { tenantId, from: closeBefore, before: now - (hours - NOTICE_HOURS) * HOUR_MS, unwarnedOnly: true },
      limits,
      stats,
      (page) => page.map((t) => closingSoonNotice(db, tenantId, t, hours, now)),
      (results) => {
        stats.warned += results.filter((r) => r.meta.changes === 1).length;
      },
    );
    if (!warnedAll) return { ...stats, done: false };
  }
  return stats;
}
