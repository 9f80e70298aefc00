import { insertInto } from "./sql";

/** What staff did, as the audit log names it (docs/console.md, "Audit log"). */
export type AuditAction =
  | "reply"
  | "note"
  | "status"
  | "priority"
  | "department"
  | "assignee"
  | "reveal"
  | "escalate"
  | "canned.create"
  | "canned.update"
  | "canned.delete"
  | "agent.deactivate"
  | "agent.reactivate"
  | "settings.update"
  | "secret.add"
  | "secret.revoke"
  | "people.export"
  | "people.erase"
  | "tenant.export"
  | "status_notice.set"
  | "status_notice.clear"
  | "status_webhook.secret"
  | "status_webhook.off"
  | "webhook.add"
  | "webhook.rotate"
  | "webhook.remove";

/** One staff action. `detail` says what changed (from/to, reason, ids): never a message's text or a secret. */
export interface AuditEntry {
  tenantId: string;
  ticketId: string | null;
  actorId: string;
  actorName: string;
  action: AuditAction;
  detail: Record<string, string | number | boolean | null>;
  createdAt: number;
}

/** The row, written in the same change as the action it records (db/write.ts). The table is append-only. */
export function insertAudit(db: D1Database, entry: AuditEntry): D1PreparedStatement {
  return insertInto(db, "audit_log", {
    id: crypto.randomUUID(),
    tenant_id: entry.tenantId,
    ticket_id: entry.ticketId,
    actor_id: entry.actorId,
    actor_name: entry.actorName,
    action: entry.action,
    detail: JSON.stringify(entry.detail),
    created_at: entry.createdAt,
  });
}
