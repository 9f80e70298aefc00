import { insertInto } from "./sql";

export type NotificationKind = "ticket_received" | "agent_replied" | "closing_soon" | "auto_closed" | "alert";

export interface Notification {
  id: string;
  tenantId: string;
  ticketId: string | null;
  kind: NotificationKind;
  recipient: string;
  /** Unique per tenant: the same notice is never recorded twice (e.g. `closing_soon:<ticket>:<answeredAt>`). */
  dedupeKey: string;
  payload: Record<string, unknown>;
  createdAt: number;
}

/**
 * A notice to send, written in the same change as what causes it. `OR IGNORE` on the dedupe
 * key (a unique-key dedupe) makes re-running a sweep harmless.
 */
export function insertNotification(db: D1Database, n: Notification): D1PreparedStatement {
  return insertInto(
    db,
    "notifications",
    {
      id: n.id,
      tenant_id: n.tenantId,
      ticket_id: n.ticketId,
      kind: n.kind,
      recipient: n.recipient,
      dedupe_key: n.dedupeKey,
      payload: JSON.stringify(n.payload),
      created_at: n.createdAt,
    },
    { orIgnore: true },
  );
}

/**
 * A notice about a ticket to its requester, written by a change that did not read the ticket (a
 * staff reply): the recipient and the ticket's `number` and `subject` come from the ticket row in
 * SQL, merged into `payload`. `OR IGNORE` on the dedupe key, as insertNotification.
 */
export function insertRequesterNotification(
  db: D1Database,
  n: Omit<Notification, "recipient" | "ticketId"> & { ticketId: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO notifications (id, tenant_id, ticket_id, kind, recipient, dedupe_key, payload, created_at)
       SELECT ?1, tenant_id, id, ?4, requester_email, ?5, json_patch(?6, json_object('number', number, 'subject', subject)), ?7
       FROM tickets WHERE id = ?3 AND tenant_id = ?2`,
    )
    .bind(n.id, n.tenantId, n.ticketId, n.kind, n.dedupeKey, JSON.stringify(n.payload), n.createdAt);
}

export interface StoredNotification extends Notification {
  sentAt: number | null;
  attempts: number;
  leaseUntil: number | null;
}

interface NotificationRow {
  id: string;
  tenant_id: string;
  ticket_id: string | null;
  kind: NotificationKind;
  recipient: string;
  dedupe_key: string;
  payload: string;
  created_at: number;
  sent_at: number | null;
  attempts: number;
  lease_until: number | null;
}

function toStored(r: NotificationRow): StoredNotification {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    kind: r.kind,
    recipient: r.recipient,
    dedupeKey: r.dedupe_key,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    attempts: r.attempts,
    leaseUntil: r.lease_until,
  };
}

/**
 * Unsent notices due for a try (new ones, and failed ones whose backoff is over), whole: what a
 * send needs, in one round trip. `ticketId` or `id` narrows them to one ticket's or one notice.
 */
export async function readDueNotifications(
  db: D1Database,
  now: number,
  limit: number,
  only: { ticketId?: string; id?: string } = {},
): Promise<StoredNotification[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM notifications WHERE sent_at IS NULL AND next_attempt_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)
         AND (?3 IS NULL OR ticket_id = ?3) AND (?4 IS NULL OR id = ?4) ORDER BY next_attempt_at LIMIT ?2`,
    )
    .bind(now, limit, only.ticketId ?? null, only.id ?? null)
    .all<NotificationRow>();
  return results.map(toStored);
}

/** Takes one notice for `leaseMs`; null when it is sent, leased by another sweep, or not due. */
export async function claimNotification(
  db: D1Database,
  id: string,
  now: number,
  leaseMs: number,
): Promise<StoredNotification | null> {
  const row = await db
    .prepare(
      `UPDATE notifications SET lease_until = ?2 + ?3, attempts = attempts + 1
       WHERE id = ?1 AND sent_at IS NULL AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
       RETURNING *`,
    )
    .bind(id, now, leaseMs)
    .first<NotificationRow>();
  return row ? toStored(row) : null;
}

/**
 * Closes a notice: sent, skipped (the tenant sends no mail) or given up. `lease` is the lease
 * this run took (null when it took none): a run whose lease ran out and was taken over changes nothing.
 */
export function markNotificationDone(
  db: D1Database,
  id: string,
  outcome: { kind: "sent"; messageId: string; text: string } | { kind: "skipped" | "gave_up"; reason: string },
  now: number,
  lease: number | null,
): D1PreparedStatement {
  const held = "AND sent_at IS NULL AND lease_until IS ?";
  return outcome.kind === "sent"
    ? db
        .prepare(
          `UPDATE notifications SET sent_at = ?2, outcome = 'sent', message_id = ?3, sent_text = ?4, lease_until = NULL, last_error = NULL WHERE id = ?1 ${held}5`,
        )
        .bind(id, now, outcome.messageId, outcome.text, lease)
    : db
        .prepare(
          `UPDATE notifications SET sent_at = ?2, outcome = ?3, lease_until = NULL, last_error = ?4 WHERE id = ?1 ${held}5`,
        )
        .bind(id, now, outcome.kind, outcome.reason.slice(0, 500), lease);
}

/** Records a failed try; `countTry` when the try was not counted by a claim. */
export function markNotificationFailed(
  db: D1Database,
  id: string,
  error: string,
  retryAt: number,
  lease: number | null,
  countTry = false,
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE notifications SET lease_until = NULL, last_error = ?2, next_attempt_at = ?3, attempts = attempts + ?4 WHERE id = ?1 AND sent_at IS NULL AND lease_until IS ?5",
    )
    .bind(id, error.slice(0, 500), retryAt, countTry ? 1 : 0, lease);
}

/** The ticket a Message-ID of ours belongs to, within one tenant only. */
export async function ticketOfMessageIds(
  db: D1Database,
  tenantId: string,
  messageIds: string[],
): Promise<string | null> {
  if (messageIds.length === 0) return null;
  const row = await db
    .prepare(
      "SELECT ticket_id FROM notifications WHERE tenant_id = ?1 AND message_id IN (SELECT value FROM json_each(?2)) AND ticket_id IS NOT NULL LIMIT 1",
    )
    .bind(tenantId, JSON.stringify(messageIds))
    .first<{ ticket_id: string }>();
  return row?.ticket_id ?? null;
}

/** The plain texts we mailed about a ticket, newest first: what a reply may be quoting. */
export async function sentTexts(db: D1Database, ticketId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT sent_text FROM notifications WHERE ticket_id = ?1 AND sent_text IS NOT NULL ORDER BY sent_at DESC LIMIT 20",
    )
    .bind(ticketId)
    .all<{ sent_text: string }>();
  return results.map((r) => r.sent_text);
}

export async function listNotifications(
  db: D1Database,
  filter: { tenantId: string; ticketId?: string },
): Promise<StoredNotification[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM notifications WHERE tenant_id = ?1 AND (?2 IS NULL OR ticket_id = ?2) ORDER BY created_at, id`,
    )
    .bind(filter.tenantId, filter.ticketId ?? null)
    .all<NotificationRow>();
  return results.map(toStored);
}

/**
 * Tickets with a notice the queue should have sent by now: unsent, free, and due since `stuckBefore`
 * or earlier (a notice just written or just failed has a message of its own on the way).
 */
export async function ticketsWithStuckNotices(
  db: D1Database,
  now: number,
  stuckBefore: number,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT ticket_id FROM notifications WHERE sent_at IS NULL AND ticket_id IS NOT NULL
         AND next_attempt_at <= ?2 AND created_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?1) LIMIT ?3`,
    )
    .bind(now, stuckBefore, limit)
    .all<{ ticket_id: string }>();
  return results.map((r) => r.ticket_id);
}

/**
 * When a ticket's next unsent notice may be tried (its backoff or a lease still running), or null
 * when none is left: a read that may end a change's batch (it then sees that change's writes).
 */
export function selectNextNoticeDue(db: D1Database, ticketId: string): D1PreparedStatement {
  return db
    .prepare(
      "SELECT min(max(next_attempt_at, coalesce(lease_until, 0))) AS at FROM notifications WHERE ticket_id = ?1 AND sent_at IS NULL",
    )
    .bind(ticketId);
}

/** What selectNextNoticeDue answered. */
export function nextNoticeDueOf(result: D1Result): number | null {
  return (result.results[0] as { at: number | null } | undefined)?.at ?? null;
}

/** selectNextNoticeDue in a round trip of its own. */
export async function nextNoticeDue(db: D1Database, ticketId: string): Promise<number | null> {
  return nextNoticeDueOf(await selectNextNoticeDue(db, ticketId).all());
}
