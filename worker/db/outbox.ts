import { insertInto } from "./sql";

/** A mail as the local outbox keeps it (MAIL_TRANSPORT "outbox"; the demo shows them). */
export interface OutboxMail {
  tenantId: string;
  notificationId: string;
  messageId: string;
  from: string;
  to: string;
  subject: string;
  raw: string;
  createdAt: number;
}

/** The mail, written in one change with its notice's "sent" (the claim that keeps it to one row per notice). */
export function insertOutboxMail(db: D1Database, m: OutboxMail): D1PreparedStatement {
  return insertInto(db, "outbox", {
    id: crypto.randomUUID(),
    tenant_id: m.tenantId,
    notification_id: m.notificationId,
    message_id: m.messageId,
    mail_from: m.from,
    mail_to: m.to,
    subject: m.subject,
    raw: m.raw,
    created_at: m.createdAt,
  });
}
