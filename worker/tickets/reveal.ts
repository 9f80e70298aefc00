/**
 * Revealing a ticket's sensitive value to staff (docs/console.md, "The sensitive field"): on an
 * explicit request, with an audit entry written before the value leaves the Worker; the console
 * hides it again at `expiresAt`. The value is erased when the ticket closes.
 */

import { unseal } from "../auth/seal";
import type { Staff } from "../auth/staff";
import { insertRevealAudit } from "../db/audit-log";
import { readTicket } from "../db/tickets";
import type { Env } from "../env";
import { ApiError, notFound } from "../errors";

/** How long the console shows a revealed value. */
export const REVEAL_MS = 60_000;

const nothingToReveal = () =>
  new ApiError(
    "not_found",
    "This ticket has no sensitive value: none was given, or it was erased when the ticket closed.",
  );

export async function revealSensitive(
  env: Env,
  who: Staff,
  ticketId: string,
  now: number,
): Promise<{ sensitive: string; expiresAt: string }> {
  const ticket = await readTicket(env.DB, who.tenantId, ticketId);
  if (!ticket) throw notFound();
  if (ticket.sensitive === null) throw nothingToReveal();
  const sealed = ticket.sensitive;
  const written = await insertRevealAudit(
    env.DB,
    {
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      actorId: who.id,
      actorName: who.name,
      detail: { number: ticket.number },
      createdAt: now,
    },
    sealed,
  ).run();
  // Erased (the ticket closed) between the read and the audit entry: nothing was recorded, nothing is shown.
  if (written.meta.changes !== 1) throw nothingToReveal();
  const sensitive = await unseal(env.SECRETS_KEY, sealed, `sensitive:${ticket.id}`);
  return { sensitive, expiresAt: new Date(now + REVEAL_MS).toISOString() };
}
