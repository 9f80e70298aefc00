/**
 * The Worker's side of a ticket's presence room (presence/ticket-presence.ts): finding it, and
 * telling the consoles on a ticket that it changed.
 */
import type { Env } from "../env";

/** The one room of a ticket: named by tenant and ticket, so ids never meet across tenants. */
export function presenceRoom(env: Pick<Env, "PRESENCE">, tenantId: string, ticketId: string) {
  return env.PRESENCE.get(env.PRESENCE.idFromName(`${tenantId}:${ticketId}`));
}

/**
 * Tells every console that has the ticket open that it is now at `version` (`{type:"changed", version}`),
 * so an agent sees a colleague's reply or a new customer message without reloading. One Durable
 * Object request; call it after the change is written, in `waitUntil`, and never let it fail the
 * change: a console that misses it still gets the 409 `changed_meanwhile` when it replies.
 */
export async function notifyChanged(
  env: Pick<Env, "PRESENCE">,
  tenantId: string,
  ticketId: string,
  version: number,
): Promise<void> {
  await presenceRoom(env, tenantId, ticketId).changed(version);
}
