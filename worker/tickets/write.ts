/**
 * What filing, replying and changing a ticket share: how a message arrived, the message and
 * history rows they write, and the versioned write that re-applies an explicit change (a PATCH)
 * after a race. Every write here is one change in the sense of db/write.ts.
 */
import type { Principal } from "../auth/principal";
import type { HistoryEntry, HistoryField } from "../db/history";
import type { Message } from "../db/messages";
import { type Ticket, updateTicketIfUnchanged } from "../db/tickets";
import { claim, type Step, writeChange } from "../db/write";
import { ApiError } from "../errors";
import { visibleTicket } from "./access";
import type { Actor } from "./lifecycle";

/** A change that keeps losing to concurrent writers of its ticket is tried this often before 409. */
const WRITE_ATTEMPTS = 8;
/** Before trying again a change waits a random time up to this, doubled each time (jitter spreads the retries). */
const BACKOFF_MS = 5;

/** A mail that became a message: its original in R2, its warning, and the rows that record it. */
export interface MailArrival {
  source: "email";
  rawKey: string;
  warning: string | null;
  /** Rows written in the message's change, e.g. the mail's dedupe record. */
  extra: D1PreparedStatement[];
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

/** The rows that record how the message arrived (a mail's), written in the message's change. */
export function arrivalRecords(arrival: { source: "web" } | MailArrival): D1PreparedStatement[] {
  return arrival.source === "email" ? arrival.extra : [];
}

export function historyEntry(
  ticket: Ticket,
  field: HistoryField,
  from: string | null,
  to: string | null,
  actor: Actor,
  reason: string,
  now: number,
): HistoryEntry {
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

/** A change planned against the ticket as read: the ticket after it, the rest of its steps, and what to answer. */
export type PlannedChange<T> = { next: Ticket; steps: Step[]; result: T } | { unchanged: T };

/**
 * Plans `change` against the current ticket and writes it as one change whose claim is the
 * version it read: the write of an explicit change (a PATCH), which decides from what it read.
 * Messages move the version too (see reply.ts), so when the change is lost it waits a jittered
 * while, reads the ticket again and re-plans; only after WRITE_ATTEMPTS losses does it answer 409.
 */
export async function writeTicket<T>(
  db: D1Database,
  who: Principal,
  ticketId: string,
  change: (current: Ticket) => PlannedChange<T>,
): Promise<T> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    if (attempt > 1) await jitteredPause(attempt - 1);
    const current = await visibleTicket(db, who, ticketId);
    const planned = change(current);
    if ("unchanged" in planned) return planned.unchanged;
    const next = { ...planned.next, version: current.version + 1 };
    const written = await writeChange(db, [claim(updateTicketIfUnchanged(db, next)), ...planned.steps]);
    if (written.outcome === "written") return planned.result;
  }
  throw new ApiError("conflict", "The ticket changed while we were saving; please try again.");
}

/** Waits a random time up to BACKOFF_MS · 2^(losses - 1): full jitter, so that racing writers spread out. */
function jitteredPause(losses: number): Promise<void> {
  const ms = Math.random() * BACKOFF_MS * 2 ** (losses - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
