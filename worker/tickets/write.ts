/**
 * What filing, replying and changing a ticket share: how a message arrived, the message and
 * history rows they write, and the versioned write that re-applies a change after a race.
 */
import type { Principal } from "../auth/principal";
import type { HistoryEntry, HistoryField } from "../db/history";
import type { Message } from "../db/messages";
import { updateTicketIfUnchanged, type Ticket } from "../db/tickets";
import { ApiError } from "../errors";
import { visibleTicket } from "./access";
import type { Actor } from "./lifecycle";

/** Concurrent writers to one ticket retry this often before giving up with 409. */
const WRITE_ATTEMPTS = 4;

/** A mail that became a message: its original in R2, its warning, and the rows that record it. */
export interface MailArrival {
  source: "email";
  rawKey: string;
  warning: string | null;
  /** Rows that belong to the message (written only if it is), e.g. the mail's dedupe record. */
  extra: (messageId: string) => D1PreparedStatement[];
}

/**
 * How a message arrived (the API or a mail) and whose uploads it may attach: the caller's
 * uploaderOf(who) through the API, the sender's address by mail.
 */
export type Via = ({ source: "web" } | MailArrival) & { uploader: string };

/** A message as it arrived; the rest of the row is the caller's. */
export function messageOf(
  arrival: { source: "web" } | MailArrival,
  fields: { tenantId: string; ticketId: string; actor: Actor; body: string; internal: boolean },
  now: number,
): Message {
  return {
    id: crypto.randomUUID(),
    tenantId: fields.tenantId,
    ticketId: fields.ticketId,
    authorKind: fields.actor.kind,
    authorId: fields.actor.id,
    authorName: fields.actor.name,
    body: fields.body,
    internal: fields.internal,
    source: arrival.source,
    createdAt: now,
    ...(arrival.source === "email" && { rawKey: arrival.rawKey, warning: arrival.warning }),
  };
}

/** The rows that record how the message arrived (a mail's), written in the message's batch. */
export function arrivalRecords(arrival: { source: "web" } | MailArrival, messageId: string): D1PreparedStatement[] {
  return arrival.source === "email" ? arrival.extra(messageId) : [];
}

export function historyEntry(ticket: Ticket, field: HistoryField, from: string | null, to: string | null, actor: Actor, reason: string, now: number): HistoryEntry {
  return {
    id: crypto.randomUUID(),
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    field,
    from,
    to,
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    reason,
    createdAt: now,
  };
}

/**
 * Runs `change` against the current ticket and writes the result atomically, conditional on
 * the version it read; on a concurrent write it reads again and re-applies.
 */
export async function writeTicket<T>(
  db: D1Database,
  who: Principal,
  ticketId: string,
  change: (current: Ticket) => { next: Ticket; extra: D1PreparedStatement[]; result: T } | { unchanged: T },
): Promise<T> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const current = await visibleTicket(db, who, ticketId);
    const planned = change(current);
    if ("unchanged" in planned) return planned.unchanged;
    const next = { ...planned.next, version: current.version + 1 };
    const [update] = await db.batch([updateTicketIfUnchanged(db, next), ...planned.extra]);
    if (update?.meta.changes === 1) return planned.result;
  }
  throw new ApiError("conflict", "The ticket changed while we were saving; please try again.");
}
