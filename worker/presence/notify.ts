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

/**
 * `notifyChanged` off the response's path, for a route that just changed a ticket: one line after
 * the write, e.g. `changedSoon(c, ticket)` in POST /tickets/{id}/messages and PATCH /tickets/{id}.
 * A failure is logged, never the request's: the 409 `changed_meanwhile` still guards a stale reply.
 */
export function changedSoon(
  c: { env: Pick<Env, "PRESENCE">; executionCtx: Pick<ExecutionContext, "waitUntil"> },
  ticket: { tenantId: string; id: string; version: number },
): void {
  c.executionCtx.waitUntil(
    notifyChanged(c.env, ticket.tenantId, ticket.id, ticket.version).catch((error: unknown) =>
      console.error(`presence of ticket ${ticket.id} not told of version ${ticket.version}`, error),
    ),
  );
}
