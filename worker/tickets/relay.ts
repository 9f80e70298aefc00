/**
 * The provider's answer on an escalated ticket goes back to the reseller (docs/console.md,
 * "Escalation and settings"): reply.ts adds these steps to every staff public reply's change. They
 * write nothing unless the ticket came from a reseller (db/escalations.ts relayAnswer).
 */
import { relayAnswer } from "../db/escalations";
import type { Message } from "../db/messages";
import type { Actor } from "./lifecycle";

/** The relay of a staff public reply on the ticket `on` into the reseller's ticket it was escalated from, if any. */
export function relayToReseller(
  db: D1Database,
  on: { tenantId: string; id: string },
  message: Message,
  actor: Actor,
  now: number,
): D1PreparedStatement[] {
  if (actor.kind !== "agent" || message.internal) return [];
  return relayAnswer(db, { providerTenantId: on.tenantId, providerTicketId: on.id, body: message.body, now });
}
