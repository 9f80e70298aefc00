/** The alert log (the demo's /demo/alerts page): a tenant's newest alerts with every delivery try. */
import type { AttemptRecord } from "./alert-delivery";
import { type Alert, type AlertRow, toAlert } from "./alerts";

export interface AlertLogEntry extends Alert {
  ticketNumber: number;
  ticketSubject: string;
  /** Each try as alert-delivery.ts records it. */
  attemptsLog: Omit<AttemptRecord, "alertId" | "tenantId">[];
}

/** The newest alerts of a tenant with their delivery tries, for the alert log. */
export async function alertLog(db: D1Database, tenantId: string, limit: number): Promise<AlertLogEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT a.*, t.number AS ticket_number, t.subject AS ticket_subject FROM alerts a JOIN tickets t ON t.id = a.ticket_id
       WHERE a.tenant_id = ?1 ORDER BY a.created_at DESC LIMIT ?2`,
    )
    .bind(tenantId, limit)
    .all<AlertRow & { ticket_number: number; ticket_subject: string }>();
  if (results.length === 0) return [];
  const { results: tries } = await db
    .prepare(
      `SELECT * FROM alert_attempts WHERE alert_id IN (${results.map((_, i) => `?${i + 1}`).join(", ")}) ORDER BY created_at`,
    )
    .bind(...results.map((r) => r.id))
    .all<{
      alert_id: string;
      contact_index: number;
      channel: string;
      target: string;
      ok: number;
      status_code: number | null;
      error: string | null;
      created_at: number;
    }>();
  return results.map((r) => ({
    ...toAlert(r),
    ticketNumber: r.ticket_number,
    ticketSubject: r.ticket_subject,
    attemptsLog: tries
      .filter((t) => t.alert_id === r.id)
      .map((t) => ({
        contactIndex: t.contact_index,
        channel: t.channel,
        target: t.target,
        ok: t.ok === 1,
        statusCode: t.status_code,
        error: t.error,
        createdAt: t.created_at,
      })),
  }));
}
