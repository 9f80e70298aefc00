import type { Principal } from "../auth/principal";
import { isStaff } from "../auth/principal";
import type { AuthorKind } from "../db/messages";
import type { Ticket } from "../db/tickets";
import type { Status } from "../schemas/ticket";

/** How a principal appears in messages and history. */
export interface Actor {
  kind: AuthorKind;
  id: string;
  name: string;
}

export function actorOf(p: Principal): Actor {
  return { kind: isStaff(p) ? "agent" : "customer", id: p.id, name: p.name };
}

export const SYSTEM_ACTOR: Actor = { kind: "system", id: "system", name: "Edgedesk" };

/** The history reason of a customer's "Solved? Close the ticket" (PATCH `reasonCode: resolved_by_customer`). */
export const RESOLVED_BY_CUSTOMER = "Resolved by the customer";

const HOUR_MS = 3_600_000;
/** The closing-soon notice goes out, and the customer's thread says when it closes, this long before auto-close. */
export const CLOSING_SOON_HOURS = 24;

/** When a ticket answered at `answeredAt` closes by itself (SPEC "Statuses"; the sweep closes it just after). */
export function autoCloseAt(answeredAt: number, autoCloseHours: number): number {
  return answeredAt + autoCloseHours * HOUR_MS;
}

/**
 * The status a new message sets (SPEC "Statuses"), whatever the ticket's status is: any customer
 * reply opens it (re-opening a closed one); a staff public reply answers it; internal notes (and
 * system messages) set none.
 */
export function statusSetByMessage(author: AuthorKind, internal: boolean): MessageStatus | null {
  if (internal || author === "system") return null;
  return author === "customer" ? "open" : "answered";
}

/** The statuses a message can set. */
export type MessageStatus = "open" | "answered";

/** Applies a status change to a ticket's timestamps; returns the ticket unchanged if same. */
export function withStatus(ticket: Ticket, status: Status, now: number): Ticket {
  if (status === ticket.status) return ticket;
  return {
    ...ticket,
    status,
    answeredAt: status === "answered" ? now : ticket.answeredAt,
    closedAt: status === "closed" ? now : null,
  };
}

export function statusChangeReason(from: Status, to: Status, actor: Actor, cause: "message" | "patch"): string {
  if (cause === "message") {
    if (actor.kind === "customer")
      return from === "closed" ? "Re-opened by the customer's reply" : "The customer replied";
    return "Staff replied";
  }
  if (to === "closed") return actor.kind === "customer" ? "Closed by the customer" : "Closed by staff";
  if (from === "closed") return actor.kind === "customer" ? "Re-opened by the customer" : "Re-opened by staff";
  return `Set by ${actor.kind === "agent" ? "staff" : actor.kind}`;
}
