/**
 * The provider's answer on an escalated ticket goes back to the reseller (docs/console.md,
 * "Escalation and settings"): reply.ts adds these steps to every staff public reply's change. They
 * write nothing unless the ticket came from a reseller (db/escalations.ts relayAnswer), and then
 * the reseller's endpoints hear of it (webhooks/events.ts relayedAnswerEvents).
 */
import { relayAnswer } from "../db/escalations";
import type { Message } from "../db/messages";
import { relayedAnswerEvents } from "../webhooks/events";
import type { Actor } from "./lifecycle";

/** The relay's steps, and the place among them of the one whose rows name the reseller's tenant when it relayed. */
export interface Relay {
  steps: D1PreparedStatement[];
  tenantAt: number | null;
}

/** The relay of a staff public reply on the ticket `on` into the reseller's ticket it was escalated from, if any. */
export function relayToReseller(
  db: D1Database,
  on: { tenantId: string; id: string },
  message: Message,
  actor: Actor,
  now: number,
): Relay {
  if (actor.kind !== "agent" || message.internal) return { steps: [], tenantAt: null };
  const written = { messageId: crypto.randomUUID(), historyId: crypto.randomUUID() };
  const relay = relayAnswer(db, {
    providerTenantId: on.tenantId,
    providerTicketId: on.id,
    body: message.body,
    now,
    ...written,
  });
  return { steps: [...relay, ...relayedAnswerEvents(db, on, written, now)], tenantAt: relay.length - 1 };
}

/** The reseller's tenant the change relayed the answer to (its endpoints' events are then queued), from the relay's result. */
export function relayedTenant(result: D1Result | undefined): string | null {
  return (result?.results[0] as { tenant_id?: string } | undefined)?.tenant_id ?? null;
}
