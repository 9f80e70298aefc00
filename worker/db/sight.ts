/**
 * Which tickets a reader may see, as a SQL condition: every read of a ticket's view carries it,
 * so a ticket the reader may not see yields no rows from any of them (tickets/access.ts decides
 * the sight from the principal, by the same rule as `canSee`).
 */
export type TicketSight =
  /** Staff: every ticket of the tenant, internal notes included. */
  | { kind: "tenant" }
  /** A signed-in customer: the tickets they filed, without internal notes. */
  | { kind: "requester"; requesterId: string }
  /** A guest's access key: its one ticket, without internal notes. */
  | { kind: "ticket"; ticketId: string }
  /**
   * A guest's access key not checked yet (its hash): the ticket it opens, as "ticket". The view
   * reads with it, so that checking the key costs no round trip of its own (routes/tickets.ts).
   */
  | { kind: "key"; keyHash: string };

/**
 * The condition on the ticket (alias `t`) that `sightParams` binds as ?1..?4: the tenant, the
 * ticket asked for, and the reader's sight. Statements using it number their own parameters from ?5.
 */
export const TICKET_IN_SIGHT = `t.tenant_id = ?1 AND t.id = ?2
  AND (?3 = 'tenant' OR (?3 = 'requester' AND t.requester_kind = 'user' AND t.requester_id = ?4)
    OR (?3 = 'ticket' AND t.id = ?4) OR (?3 = 'key' AND t.guest_key_hash = ?4))`;

/** Whether the reader sees internal notes (and their files): only with the tenant's sight. */
export const SEES_INTERNAL = "?3 = 'tenant'";

export function sightParams(
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
): [string, string, string, string | null] {
  return [tenantId, ticketId, sight.kind, sightSubject(sight)];
}

function sightSubject(sight: TicketSight): string | null {
  switch (sight.kind) {
    case "tenant":
      return null;
    case "requester":
      return sight.requesterId;
    case "ticket":
      return sight.ticketId;
    case "key":
      return sight.keyHash;
  }
}
