import { insertInto } from "./sql";

/**
 * A mail already handled, once per tenant, Message-ID and ticket (see email/inbound.ts): the same
 * mail reaching a ticket through several addresses (To and Cc) is one message. `rcpt` says which
 * address it came in through first.
 */
export interface InboundMailRecord {
  tenantId: string;
  messageId: string;
  rcpt: string;
  ticketId: string | null;
  outcome: "added" | "created";
  rawKey: string;
  createdAt: number;
}

/** Whether this mail was already taken for this ticket (null: as a new ticket). */
export async function inboundMailSeen(
  db: D1Database,
  tenantId: string,
  messageId: string,
  ticketId: string | null,
): Promise<boolean> {
  // ticket_key is computed from ticket_id (migrations/0002): 'new' for a mail that opened a ticket.
  const row = await db
    .prepare("SELECT 1 AS seen FROM inbound_mail WHERE tenant_id = ?1 AND message_id = ?2 AND ticket_key = ?3")
    .bind(tenantId, messageId, ticketId ?? "new")
    .first<{ seen: number }>();
  return row !== null;
}

/** The record, written in the change that adds the mail's message; a second delivery to the same ticket fails it on the unique key. */
export function insertInboundMail(db: D1Database, r: InboundMailRecord): D1PreparedStatement {
  return insertInto(db, "inbound_mail", {
    tenant_id: r.tenantId,
    message_id: r.messageId,
    rcpt: r.rcpt,
    ticket_id: r.ticketId,
    outcome: r.outcome,
    raw_key: r.rawKey,
    created_at: r.createdAt,
  });
}

/** Forgets up to `limit` records older than `before` (retention). */
export function deleteInboundMailBefore(db: D1Database, before: number, limit: number): D1PreparedStatement {
  return db
    .prepare("DELETE FROM inbound_mail WHERE rowid IN (SELECT rowid FROM inbound_mail WHERE created_at < ?1 LIMIT ?2)")
    .bind(before, limit);
}
