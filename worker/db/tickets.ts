import type { FieldValues, Priority, Status } from "../schemas/ticket";
import { type Attachment, attachmentsFrom, selectVisibleAttachments } from "./attachments";
import { type EscalationLink, escalationLink, selectEscalationLink } from "./escalations";
import { FACTS_ANSWER, type FactsTable } from "./facts";
import { type HistoryEntry, historyEntries, selectVisibleHistory } from "./history";
import { type MessageWithVotes, messagesWithVotes, selectVisibleMessages } from "./messages";
import { sightParams, TICKET_IN_SIGHT, type TicketSight } from "./sight";
import { insertInto } from "./sql";

/** A ticket as the domain sees it (camelCase, epoch-millisecond times). */
export interface Ticket {
  id: string;
  tenantId: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  department: string;
  serviceId: string | null;
  serviceLabel: string | null;
  fields: FieldValues;
  requesterKind: "user" | "guest";
  requesterId: string;
  requesterEmail: string;
  requesterName: string;
  guestKeyHash: string | null;
  assignee: string | null;
  sensitive: string | null;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
  answeredAt: number | null;
  closedAt: number | null;
  version: number;
  /** When the oldest customer message without a staff answer arrived; null when none waits (docs/console.md, Queue). */
  waitingSince: number | null;
  /** That wait's expected-response deadline (hours/respond-by.ts). */
  respondBy: number | null;
}

export interface TicketRow {
  id: string;
  tenant_id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  department: string;
  service_id: string | null;
  service_label: string | null;
  fields: string;
  requester_kind: "user" | "guest";
  requester_id: string;
  requester_email: string;
  requester_name: string;
  guest_key_hash: string | null;
  assignee: string | null;
  sensitive: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  answered_at: number | null;
  closed_at: number | null;
  version: number;
  waiting_since: number | null;
  respond_by: number | null;
}

export function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    department: r.department,
    serviceId: r.service_id,
    serviceLabel: r.service_label,
    fields: JSON.parse(r.fields) as FieldValues,
    requesterKind: r.requester_kind,
    requesterId: r.requester_id,
    requesterEmail: r.requester_email,
    requesterName: r.requester_name,
    guestKeyHash: r.guest_key_hash,
    assignee: r.assignee,
    sensitive: r.sensitive,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActivityAt: r.last_activity_at,
    answeredAt: r.answered_at,
    closedAt: r.closed_at,
    version: r.version,
    waitingSince: r.waiting_since,
    respondBy: r.respond_by,
  };
}

export function insertTicket(db: D1Database, t: Ticket): D1PreparedStatement {
  return insertInto(db, "tickets", {
    id: t.id,
    tenant_id: t.tenantId,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    department: t.department,
    service_id: t.serviceId,
    service_label: t.serviceLabel,
    fields: JSON.stringify(t.fields),
    requester_kind: t.requesterKind,
    requester_id: t.requesterId,
    requester_email: t.requesterEmail,
    requester_name: t.requesterName,
    guest_key_hash: t.guestKeyHash,
    assignee: t.assignee,
    sensitive: t.sensitive,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    last_activity_at: t.lastActivityAt,
    answered_at: t.answeredAt,
    closed_at: t.closedAt,
    version: t.version,
    waiting_since: t.waitingSince,
    respond_by: t.respondBy,
  });
}

/**
 * Writes the mutable part of `next` if the stored ticket is still at `next.version - 1`: the
 * claim of a change to a ticket (see write.ts).
 */
export function updateTicketIfUnchanged(db: D1Database, next: Ticket): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tickets SET status = ?3, priority = ?4, department = ?5, assignee = ?6, updated_at = ?7,
         last_activity_at = ?8, answered_at = ?9, closed_at = ?10, version = ?11,
         waiting_since = CASE WHEN ?3 = 'closed' THEN NULL ELSE waiting_since END,
         respond_by = CASE WHEN ?3 = 'closed' THEN NULL ELSE respond_by END
       WHERE id = ?1 AND tenant_id = ?2 AND version = ?11 - 1`,
    )
    .bind(
      next.id,
      next.tenantId,
      next.status,
      next.priority,
      next.department,
      next.assignee,
      next.updatedAt,
      next.lastActivityAt,
      next.answeredAt,
      next.closedAt,
      next.version,
    );
}

/** What a message does to its ticket: the status it sets (null: none, an internal note) and whether the customer sees it. */
export interface Append {
  tenantId: string;
  ticketId: string;
  /** A message opens or answers a ticket, or leaves its status alone: never "closed". */
  status: "open" | "answered" | null;
  /** A public message is activity the customer sees; an internal note only touches updated_at. */
  visible: boolean;
  now: number;
  /**
   * A customer's message: it starts the wait for staff unless one is running, with this deadline
   * (hours/respond-by.ts), per the ticket's facts (db/facts.ts: the reply does not read the ticket
   * first). null for staff: a public reply ends the wait, an internal note leaves it.
   */
  waiting: { respondBy: FactsTable } | null;
}

/**
 * Puts a message's effect on its ticket whatever the ticket's version: the status it sets (a
 * closed ticket re-opens, so closed_at clears), an answer restarts the auto-close clock, and the
 * version moves on so that a change planned before it (a PATCH) re-plans; a customer's message
 * starts the wait for staff (waiting_since, respond_by) unless one runs, a staff public reply
 * ends it. The claim of a reply
 * (see write.ts): it holds while the ticket exists, whatever anyone else wrote meanwhile.
 * Returns the ticket after it: read it with `ticketAfterAppend`.
 */
export function appendToTicket(db: D1Database, a: Append): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tickets AS t SET status = coalesce(?3, status),
         closed_at = CASE WHEN ?3 IS NULL THEN closed_at ELSE NULL END,
         answered_at = CASE WHEN ?3 = 'answered' THEN ?5 ELSE answered_at END,
         last_activity_at = CASE WHEN ?4 = 1 THEN max(last_activity_at, ?5) ELSE last_activity_at END,
         updated_at = max(updated_at, ?5), version = version + 1,
         waiting_since = CASE WHEN ?6 = 1 THEN coalesce(waiting_since, ?5) WHEN ?4 = 1 THEN NULL ELSE waiting_since END,
         respond_by = CASE WHEN ?6 = 1 THEN CASE WHEN waiting_since IS NULL THEN ${FACTS_ANSWER("?7")} ELSE respond_by END
           WHEN ?4 = 1 THEN NULL ELSE respond_by END
       WHERE id = ?1 AND tenant_id = ?2
       RETURNING *`,
    )
    .bind(a.ticketId, a.tenantId, a.status, a.visible ? 1 : 0, a.now, a.waiting ? 1 : 0, a.waiting?.respondBy ?? null);
}

/** The ticket as appendToTicket left it, from that statement's result. */
export function ticketAfterAppend(result: D1Result): Ticket | null {
  const row = result.results[0] as TicketRow | undefined;
  return row ? toTicket(row) : null;
}

export async function readTicket(db: D1Database, tenantId: string, id: string): Promise<Ticket | null> {
  const row = await db
    .prepare("SELECT * FROM tickets WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<TicketRow>();
  return row ? toTicket(row) : null;
}

/**
 * A ticket's view in one round trip: the ticket, its messages, history and attachments, each read
 * carrying the reader's sight itself. A ticket out of sight reads as null with nothing else.
 */
export async function readTicketDetail(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
  voterId: string | null,
): Promise<{
  ticket: Ticket | null;
  messages: MessageWithVotes[];
  history: HistoryEntry[];
  attachments: Attachment[];
  /** The other end of the ticket's escalation (staff's sight only), or null. */
  escalation: EscalationLink | null;
}> {
  const [ticket, messages, history, attachments, escalation] = await db.batch([
    db.prepare(`SELECT t.* FROM tickets t WHERE ${TICKET_IN_SIGHT}`).bind(...sightParams(tenantId, ticketId, sight)),
    selectVisibleMessages(db, tenantId, ticketId, sight, voterId),
    selectVisibleHistory(db, tenantId, ticketId, sight),
    selectVisibleAttachments(db, tenantId, ticketId, sight),
    selectEscalationLink(db, tenantId, ticketId, sight),
  ]);
  const row = ticket?.results[0] as TicketRow | undefined;
  return {
    ticket: row ? toTicket(row) : null,
    messages: messages ? messagesWithVotes(messages) : [],
    history: history ? historyEntries(history) : [],
    attachments: attachments ? attachmentsFrom(attachments) : [],
    escalation: escalationLink(escalation),
  };
}

export async function readTicketByGuestKey(db: D1Database, tenantId: string, keyHash: string): Promise<Ticket | null> {
  const row = await db
    .prepare("SELECT * FROM tickets WHERE tenant_id = ?1 AND guest_key_hash = ?2")
    .bind(tenantId, keyHash)
    .first<TicketRow>();
  return row ? toTicket(row) : null;
}

export interface TicketFilter {
  tenantId: string;
  /** Only this requester's tickets (a customer's own history); absent for an agent's queue. */
  requesterId?: string;
  requesterKind?: "user" | "guest";
  statuses?: Status[];
  priority?: Priority;
  department?: string;
  /** Words of the subject, or an exact ticket number. */
  query?: string;
}

export interface ActivityCursor {
  lastActivityAt: number;
  id: string;
}

/** Newest activity first, keyset-paginated on (last_activity_at, id); reads `limit + 1` to know if more follow. */
export async function listTickets(
  db: D1Database,
  filter: TicketFilter,
  after: ActivityCursor | null,
  limit: number,
): Promise<{ tickets: Ticket[]; next: ActivityCursor | null }> {
  const where = ["tenant_id = ?1"];
  const params: (string | number)[] = [filter.tenantId];
  const bind = (value: string | number) => {
    params.push(value);
    return `?${params.length}`;
  };
  if (filter.requesterId !== undefined)
    where.push(
      `requester_kind = ${bind(filter.requesterKind ?? "user")} AND requester_id = ${bind(filter.requesterId)}`,
    );
  if (filter.statuses?.length) where.push(`status IN (${filter.statuses.map(bind).join(", ")})`);
  if (filter.priority) where.push(`priority = ${bind(filter.priority)}`);
  if (filter.department) where.push(`department = ${bind(filter.department)}`);
  if (filter.query) {
    const number = /^#?(\d{1,12})$/.exec(filter.query);
    const like = `%${filter.query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(
      number
        ? `(number = ${bind(Number(number[1]))} OR subject LIKE ${bind(like)} ESCAPE '\\')`
        : `subject LIKE ${bind(like)} ESCAPE '\\'`,
    );
  }
  if (after) {
    const t = bind(after.lastActivityAt);
    where.push(`(last_activity_at < ${t} OR (last_activity_at = ${t} AND id < ${bind(after.id)}))`);
  }
  const sql = `SELECT * FROM tickets WHERE ${where.join(" AND ")} ORDER BY last_activity_at DESC, id DESC LIMIT ${bind(limit + 1)}`;
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<TicketRow>();
  const tickets = results.slice(0, limit).map(toTicket);
  const last = tickets.at(-1);
  const next = results.length > limit && last ? { lastActivityAt: last.lastActivityAt, id: last.id } : null;
  return { tickets, next };
}

/** Which tenant a ticket belongs to (for a reply address, which names only the ticket). */
export async function tenantOfTicket(db: D1Database, ticketId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT tenant_id FROM tickets WHERE id = ?1")
    .bind(ticketId)
    .first<{ tenant_id: string }>();
  return row?.tenant_id ?? null;
}

/**
 * The claim that `sight` sees the ticket (it writes nothing: SQLite counts the matched row as
 * changed): first in a change planned without reading the ticket (a reply), so that a ticket
 * that is missing or someone else's loses the change before any row referencing it is written.
 */
export function ticketInSight(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
): D1PreparedStatement {
  return db
    .prepare(`UPDATE tickets AS t SET version = version WHERE ${TICKET_IN_SIGHT}`)
    .bind(...sightParams(tenantId, ticketId, sight));
}

/**
 * The claim of a staff reply sent with the version its view was read at: holds only while the
 * ticket is still at `version` (it writes nothing: SQLite counts the matched row as changed).
 * Put it before the reply's own update (appendToTicket), which moves the version on.
 */
export function ticketStillAt(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  version: number,
): D1PreparedStatement {
  return db
    .prepare("UPDATE tickets SET version = version WHERE id = ?1 AND tenant_id = ?2 AND version = ?3")
    .bind(ticketId, tenantId, version);
}

/**
 * A staff reply that also sets the status (reply + on hold, reply + close): after the reply's
 * appendToTicket in the same change, puts the status asked for. Closing erases the sensitive
 * value in the same statement. Returns the ticket after it: read it with `ticketAfterAppend`.
 */
export function setStatusAfterReply(
  db: D1Database,
  s: { tenantId: string; ticketId: string; status: Status; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tickets SET status = ?3,
         closed_at = CASE WHEN ?3 = 'closed' THEN ?4 ELSE NULL END,
         sensitive = CASE WHEN ?3 = 'closed' THEN NULL ELSE sensitive END
       WHERE id = ?1 AND tenant_id = ?2
       RETURNING *`,
    )
    .bind(s.ticketId, s.tenantId, s.status, s.now);
}

/** Erases the sensitive value of a ticket that is closed: in the change that closes it (audit entries stay). */
export function eraseSensitiveIfClosed(db: D1Database, tenantId: string, ticketId: string): D1PreparedStatement {
  return db
    .prepare("UPDATE tickets SET sensitive = NULL WHERE id = ?1 AND tenant_id = ?2 AND status = 'closed'")
    .bind(ticketId, tenantId);
}
