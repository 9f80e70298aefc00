/**
 * Who may see a ticket, and whose uploads a message may attach: the checks that tickets and
 * attachments both make, kept apart so that neither imports the other for them.
 */
import { isStaff, type Principal } from "../auth/principal";
import type { TicketSight } from "../db/sight";
import { readTicket, type Ticket } from "../db/tickets";
import { notFound } from "../errors";

/** Whether `p` may see `ticket` at all. Anything else answers 404, never 403. */
export function canSee(p: Principal, ticket: Ticket): boolean {
  if (p.tenantId !== ticket.tenantId) return false;
  if (p.kind === "guest") return p.ticketId === ticket.id;
  if (isStaff(p)) return true;
  return ticket.requesterKind === "user" && ticket.requesterId === p.id;
}

/** The tickets `p` may see, as every read of a ticket's view checks it in SQL: the rule of `canSee`. */
export function sightOf(p: Principal): TicketSight {
  if (p.kind === "guest") return { kind: "ticket", ticketId: p.ticketId };
  if (isStaff(p)) return { kind: "tenant" };
  return { kind: "requester", requesterId: p.id };
}

/** The ticket if `who` may see it; 404 otherwise (never 403, so ids reveal nothing). */
export async function visibleTicket(db: D1Database, who: Principal, ticketId: string): Promise<Ticket> {
  const ticket = await readTicket(db, who.tenantId, ticketId);
  if (!ticket || !canSee(who, ticket)) throw notFound();
  return ticket;
}

/** Who may attach an upload: the same string for the upload and the message. */
export function uploaderOf(who: Principal): string {
  return who.kind === "guest" ? `guest:${who.ticketId}` : `user:${who.id}`;
}
