import {
  type AnsweredCursor,
  type AnsweredRange,
  type AnsweredTicket,
  closeStillAnswered,
  selectAnswered,
  tenantsWithAnsweredBefore,
} from "../db/answered";
import { type HistoryEntry, insertHistory } from "../db/history";
import { insertMessage } from "../db/messages";
import { insertNotification } from "../db/notifications";
import { readTenant } from "../db/tenants";
import { type Step, writeChange } from "../db/write";
import { autoCloseAt, CLOSING_SOON_HOURS, SYSTEM_ACTOR } from "../tickets/lifecycle";
import { ticketChangedEvents } from "../webhooks/events";

/**
 * Auto-close (SPEC "Statuses"): a ticket left `answered` for more than its tenant's
 * `autoCloseHours` is closed by the system, with a history entry, a message the customer sees
 * and an `auto_closed` notice; a `closing_soon` notice goes out 24 hours before that.
 *
 * Idempotent and safe to overlap: each page is one change (db/write.ts) whose claim closes its
 * tickets only if every one is still `answered` since the instant the sweep read, with the rows
 * that belong to the closes; when another sweep or a reply got there first, the change is lost
 * whole and the page is read again, so no ticket is ever closed twice. Work is done in bounded
 * batches read from the `tickets_answered_due` partial index; a sweep stopped by `maxBatches`
 * reports `done: false` and the next one picks up where it left off.
 */

const HOUR_MS = 3_600_000;
/** The closing-soon notice goes out this long before a ticket would close. */
const NOTICE_HOURS = CLOSING_SOON_HOURS;
/** TenantConfig's smallest `autoCloseHours`: no ticket answered more recently can be due for anything. */
const SHORTEST_WINDOW_HOURS = 1;
/** Tickets per D1 batch (3 statements each when closing, plus the claim and its guard). */
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
  /** Tickets this sweep wrote a notice for (closed or warned): the cron queues their mail. */
  notified: string[];
  /** Tenants with tickets this sweep closed: the cron queues their webhook events. */
  closedIn: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function autoCloseReason(hours: number): string {
  return `Closed automatically after ${hours} ${hours === 1 ? "hour" : "hours"} without a reply`;
}

function autoCloseMessage(hours: number): string {
  return `This ticket was closed automatically after ${hours} ${hours === 1 ? "hour" : "hours"} without a reply. Reply to re-open it.`;
}

/** One page of a range, with its D1 cost counted. */
async function page(
  db: D1Database,
  range: AnsweredRange,
  cursor: AnsweredCursor,
  limit: number,
  stats: AutoCloseStats,
): Promise<AnsweredTicket[]> {
  const { tickets, result } = await selectAnswered(db, range, cursor, limit);
  tally(stats, [result]);
  return tickets;
}

function tally(stats: AutoCloseStats, results: D1Result[]): void {
  for (const r of results) {
    stats.rowsRead += r.meta.rows_read ?? 0;
    stats.rowsWritten += r.meta.rows_written ?? 0;
  }
}

/**
 * Pages through `range` in keyset order, writing one change per page. Returns false when it
 * stopped at `maxBatches` with tickets still to do. A lost change (a ticket of the page changed
 * meanwhile) is read again from the same place: the changed ticket has left the range (or the
 * index), so the loop always ends, and every write counts against the budget.
 */
async function sweepRange(
  db: D1Database,
  range: AnsweredRange,
  limits: { batchSize: number; maxBatches: number },
  stats: AutoCloseStats,
  write: (page: AnsweredTicket[]) => Step[],
  counted: (page: AnsweredTicket[], results: D1Result[]) => void,
): Promise<boolean> {
  let cursor: AnsweredCursor = { answeredAt: range.from, id: "" };
  for (;;) {
    const budgetLeft = stats.batches < limits.maxBatches;
    // Out of budget, one row is enough to tell whether anything is left.
    const found = await page(db, range, cursor, budgetLeft ? limits.batchSize : 1, stats);
    if (found.length === 0) return true;
    if (!budgetLeft) return false;
    const change = await writeChange(db, write(found));
    stats.batches += 1;
    if (change.outcome === "lost") continue;
    tally(stats, change.results);
    counted(found, change.results);
    if (found.length < limits.batchSize) return true;
    const last = found[found.length - 1]!;
    cursor = { answeredAt: last.answeredAt, id: last.id };
  }
}

/** The change that closes a page: the claim on all its tickets, then each one's history entry, message and notice. */
function closePage(db: D1Database, tenantId: string, page: AnsweredTicket[], hours: number, now: number): Step[] {
  return [
    closeStillAnswered(db, tenantId, page, now),
    ...page.flatMap((t) => closedTicketRows(db, tenantId, t, hours, now)),
  ];
}

/** What a closed ticket gets: a history entry, a message the customer sees, and an `auto_closed` notice. */
function closedTicketRows(
  db: D1Database,
  tenantId: string,
  ticket: AnsweredTicket,
  hours: number,
  now: number,
): D1PreparedStatement[] {
  const system = { tenantId, ticketId: ticket.id, createdAt: now };
  const closed: HistoryEntry = {
    ...system,
    id: crypto.randomUUID(),
    field: "status",
    from: "answered",
    to: "closed",
    actorKind: SYSTEM_ACTOR.kind,
    actorId: SYSTEM_ACTOR.id,
    actorName: SYSTEM_ACTOR.name,
    reason: autoCloseReason(hours),
  };
  return [
    insertHistory(db, closed),
    // Its webhook event (webhooks/events.ts), after the page's claim closed it.
    ...ticketChangedEvents(db, [closed], now),
    insertMessage(db, {
      ...system,
      id: crypto.randomUUID(),
      authorKind: SYSTEM_ACTOR.kind,
      authorId: SYSTEM_ACTOR.id,
      authorName: SYSTEM_ACTOR.name,
      body: autoCloseMessage(hours),
      internal: false,
      source: "system",
    }),
    insertNotification(db, {
      ...system,
      id: crypto.randomUUID(),
      kind: "auto_closed",
      recipient: ticket.requesterEmail,
      dedupeKey: `auto_closed:${ticket.id}:${ticket.answeredAt}`,
      payload: { number: ticket.number, subject: ticket.subject, closedAt: iso(now), hours },
    }),
  ];
}

function closingSoonNotice(
  db: D1Database,
  tenantId: string,
  ticket: AnsweredTicket,
  hours: number,
  now: number,
): D1PreparedStatement {
  return insertNotification(db, {
    id: crypto.randomUUID(),
    tenantId,
    ticketId: ticket.id,
    kind: "closing_soon",
    recipient: ticket.requesterEmail,
    // Keyed by the answer it warns about: a ticket answered again later gets a fresh notice.
    dedupeKey: `closing_soon:${ticket.id}:${ticket.answeredAt}`,
    payload: { number: ticket.number, subject: ticket.subject, closesAt: iso(autoCloseAt(ticket.answeredAt, hours)) },
    createdAt: now,
  });
}

/**
 * Closes every ticket `answered` for more than its tenant's auto-close hours (strictly: at
 * exactly 72 h nothing happens yet) and records the closing-soon notices that are due, as of `now`.
 */
export async function sweepAnsweredTickets(
  db: D1Database,
  now: number,
  options: AutoCloseOptions = {},
): Promise<AutoCloseStats> {
  const limits = {
    batchSize: Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)),
    maxBatches: Math.max(0, Math.floor(options.maxBatches ?? DEFAULT_MAX_BATCHES)),
  };
  const stats: AutoCloseStats = {
    warned: 0,
    closed: 0,
    batches: 0,
    rowsRead: 0,
    rowsWritten: 0,
    done: true,
    notified: [],
    closedIn: [],
  };

  const due = await tenantsWithAnsweredBefore(db, now - SHORTEST_WINDOW_HOURS * HOUR_MS);
  tally(stats, [due.result]);
  for (const tenantId of due.ids) {
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
      (page) => closePage(db, tenantId, page, hours, now),
      (page) => {
        stats.closed += page.length;
        stats.notified.push(...page.map((t) => t.id));
        if (!stats.closedIn.includes(tenantId)) stats.closedIn.push(tenantId);
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
      (page, results) => {
        const warned = page.filter((_t, i) => results[i]?.meta.changes === 1);
        stats.warned += warned.length;
        stats.notified.push(...warned.map((t) => t.id));
      },
    );
    if (!warnedAll) return { ...stats, done: false };
  }
  return stats;
}
