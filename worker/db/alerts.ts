import type { Suppression } from "../alerts/policy";
import { FACTS_ANSWER, type FactsTable } from "./facts";
import { insertInto } from "./sql";
import { claim, writeChange } from "./write";

export type AlertTrigger = "created" | "raised" | "customer_reply";
/** `suppressed`: the policy paged nobody (suppressedReason says why); `closed_by_customer`: not an acknowledgement. */
export type AlertState = "pending" | "delivered" | "acknowledged" | "closed_by_customer" | "exhausted" | "suppressed";

export interface Alert {
  id: string;
  tenantId: string;
  ticketId: string;
  trigger: AlertTrigger;
  /** The row that caused it (ticket, history entry, message): one alert per trigger. */
  triggerKey: string;
  priority: string;
  state: AlertState;
  suppressedReason: Suppression | null;
  contactIndex: number;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  deliveredAt: number | null;
  escalateAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  closedAt: number | null;
  lastError: string | null;
  createdAt: number;
}

export interface AlertRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  trigger: AlertTrigger;
  trigger_key: string;
  priority: string;
  state: AlertState;
  suppressed_reason: Suppression | null;
  contact_index: number;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  delivered_at: number | null;
  escalate_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  closed_at: number | null;
  last_error: string | null;
  created_at: number;
}

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    trigger: r.trigger,
    triggerKey: r.trigger_key,
    priority: r.priority,
    state: r.state,
    suppressedReason: r.suppressed_reason,
    contactIndex: r.contact_index,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    deliveredAt: r.delivered_at,
    escalateAt: r.escalate_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    closedAt: r.closed_at,
    lastError: r.last_error,
    createdAt: r.created_at,
  };
}

export type NewAlert = Pick<
  Alert,
  "id" | "tenantId" | "ticketId" | "trigger" | "triggerKey" | "priority" | "createdAt"
>;

/** A new alert, due now, written in the change that triggered it; or, with `suppressed`, the record of why nobody was paged. */
export function insertAlert(db: D1Database, a: NewAlert, suppressed: Suppression | null = null): D1PreparedStatement {
  return insertInto(db, "alerts", {
    id: a.id,
    tenant_id: a.tenantId,
    ticket_id: a.ticketId,
    trigger: a.trigger,
    trigger_key: a.triggerKey,
    priority: a.priority,
    state: suppressed ? "suppressed" : "pending",
    suppressed_reason: suppressed,
    next_attempt_at: a.createdAt,
    created_at: a.createdAt,
  });
}

/** What a customer's reply does about paging, per the ticket's facts: null none, "page" (unless the cooldown says not), or why it pages nobody. */
export type ReplyPaging = "page" | Suppression | null;

/**
 * A customer's reply may page (`paging`, per the ticket's facts: db/facts.ts). One that would
 * page does only when no alert for the ticket is open and the last page (a suppressed one paged
 * nobody) is older than `cooldownMs`; else it is recorded suppressed, with which stopped it. In
 * the change's own statement, so replies at the same moment cannot both page. Read: `raisedAlert`.
 */
export function insertReplyAlert(
  db: D1Database,
  a: Omit<NewAlert, "priority">,
  cooldownMs: number,
  paging: FactsTable,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO alerts (id, tenant_id, ticket_id, trigger, trigger_key, priority, state, suppressed_reason, next_attempt_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, priority, CASE WHEN reason IS NULL THEN 'pending' ELSE 'suppressed' END, reason, ?6, ?6
       FROM (SELECT priority, CASE
           WHEN paging != 'page' THEN paging
           WHEN EXISTS (SELECT 1 FROM alerts WHERE ticket_id = ?3 AND state IN ('pending', 'delivered')) THEN 'open_alert'
           WHEN EXISTS (SELECT 1 FROM alerts WHERE ticket_id = ?3 AND state != 'suppressed' AND created_at > ?6 - ?7) THEN 'cooldown'
         END AS reason
         FROM (SELECT t.priority, ${FACTS_ANSWER("?8")} AS paging FROM tickets t WHERE t.id = ?3 AND t.tenant_id = ?2)
         WHERE paging IS NOT NULL)
       RETURNING id, state`,
    )
    .bind(a.id, a.tenantId, a.ticketId, a.trigger, a.triggerKey, a.createdAt, cooldownMs, paging);
}

/** The alert insertReplyAlert raised, from its result: whether it pages (pending) or was recorded suppressed; null when none. */
export function raisedAlert(result: D1Result): { id: string; pages: boolean } | null {
  const row = result.results[0] as { id: string; state: string } | undefined;
  return row ? { id: row.id, pages: row.state === "pending" } : null;
}

/**
 * Staff acted on the ticket: nobody needs paging about it any more. In a change that also raises
 * an alert, `exceptId` names it, so the new alert is not acknowledged with the rest.
 */
export function acknowledgeTicketAlerts(
  db: D1Database,
  ticketId: string,
  by: string,
  now: number,
  options: { exceptId?: string } = {},
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?3, acknowledged_by = ?2, lease_until = NULL
       WHERE ticket_id = ?1 AND state IN ('pending', 'delivered') AND id != ?4`,
    )
    .bind(ticketId, by, now, options.exceptId ?? "");
}

/** The customer closed the ticket: its open alerts end, as closed by them (nobody on call acknowledged anything). */
export function closeTicketAlertsByCustomer(db: D1Database, ticketId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE alerts SET state = 'closed_by_customer', closed_at = ?2, lease_until = NULL
       WHERE ticket_id = ?1 AND state IN ('pending', 'delivered')`,
    )
    .bind(ticketId, now);
}

/**
 * Acknowledges one alert (from its signed link); false when it was not waiting for one. `before`
 * are steps written with it that read the alert while still open (its webhook event).
 */
export async function acknowledgeAlert(
  db: D1Database,
  tenantId: string,
  id: string,
  by: string,
  now: number,
  before: D1PreparedStatement[] = [],
): Promise<boolean> {
  const acknowledge = db
    .prepare(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?4, acknowledged_by = ?3, lease_until = NULL
       WHERE tenant_id = ?1 AND id = ?2 AND state IN ('pending', 'delivered')`,
    )
    .bind(tenantId, id, by, now);
  const change = await writeChange(db, [...before, claim(acknowledge)]);
  return change.outcome === "written";
}

export async function readAlert(db: D1Database, tenantId: string, id: string): Promise<Alert | null> {
  const row = await db
    .prepare("SELECT * FROM alerts WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<AlertRow>();
  return row ? toAlert(row) : null;
}

/** Reads one alert by id; as the last step of a change, the alert as the change left it. */
export function selectAlert(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare("SELECT * FROM alerts WHERE id = ?1").bind(id);
}

/** The alert selectAlert read, from its result; null when there is none. */
export function alertOf(result: D1Result | undefined): Alert | null {
  const row = result?.results[0] as AlertRow | undefined;
  return row ? toAlert(row) : null;
}

/** One alert by id, whatever its tenant: what a queued delivery names. */
export async function alertById(db: D1Database, id: string): Promise<Alert | null> {
  return alertOf(await selectAlert(db, id).all());
}

/** Pending alerts the queue should have delivered by now: free, and due since `stuckBefore` or earlier. */
export async function stuckAlerts(db: D1Database, now: number, stuckBefore: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM alerts WHERE state = 'pending' AND next_attempt_at <= ?2 AND created_at <= ?2
         AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at LIMIT ?3`,
    )
    .bind(now, stuckBefore, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Nobody can be paged (no contacts, or all tried): the alert stops. */
export async function markExhausted(db: D1Database, id: string, reason: string, fromState: AlertState): Promise<void> {
  await db
    .prepare(`UPDATE alerts SET state = 'exhausted', lease_until = NULL, last_error = ?2 WHERE id = ?1 AND state = ?3`)
    .bind(id, reason, fromState)
    .run();
}

/** Delivered alerts nobody acknowledged within the window. */
export async function unacknowledgedAlerts(db: D1Database, now: number, limit: number): Promise<Alert[]> {
  const { results } = await db
    .prepare(`SELECT * FROM alerts WHERE state = 'delivered' AND escalate_at <= ?1 ORDER BY escalate_at LIMIT ?2`)
    .bind(now, limit)
    .all<AlertRow>();
  return results.map(toAlert);
}

/** Moves an unacknowledged alert on to the next contact, due now; false if another sweep did. */
export async function escalateAlert(db: D1Database, alert: Alert, now: number): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE alerts SET state = 'pending', contact_index = contact_index + 1, next_attempt_at = ?2, escalate_at = NULL, attempts = 0
       WHERE id = ?1 AND state = 'delivered' AND contact_index = ?3`,
    )
    .bind(alert.id, now, alert.contactIndex)
    .run();
  return r.meta.changes === 1;
}
