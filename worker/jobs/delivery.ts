/**
 * What the DELIVERIES queue carries: a name for work whose record of truth is a D1 row written
 * with the change (a notice, an alert, a webhook delivery). The message only says "look at this now"; losing or
 * repeating one never loses or repeats a send (the rows' claims and leases decide that).
 */

/** The unsent notices of one ticket (a request does not know their ids), one alert, or a tenant's due webhook deliveries. */
export type Delivery =
  | { kind: "mail"; ticketId: string }
  | { kind: "alert"; id: string }
  | { kind: "webhook"; tenantId: string };

/** A message the consumer could not use, sent to the dead-letter queue with why. */
export interface DeadLetter {
  body: unknown;
  reason: string;
  messageId: string;
  at: string;
}

/** The body as a Delivery, or null when it is not one (a poison message). */
export function parseDelivery(body: unknown): Delivery | null {
  if (typeof body !== "object" || body === null) return null;
  const { kind, ticketId, id, tenantId } = body as Record<string, unknown>;
  if (kind === "mail" && typeof ticketId === "string" && ticketId) return { kind, ticketId };
  if (kind === "alert" && typeof id === "string" && id) return { kind, id };
  if (kind === "webhook" && typeof tenantId === "string" && tenantId) return { kind, tenantId };
  return null;
}
