/**
 * The SQL of paging one alert (alerts/delivery.ts): the due alerts, or one with its ticket; the
 * lease's claim, taken before the outside call; and the try recorded after it, in one change that
 * reads the alert back at its end, so the queue's consumer knows "done or later" without asking again.
 */
import { type Alert, type AlertRow, alertOf, selectAlert, toAlert } from "./alerts";
import { insertInto } from "./sql";
import { type Ticket, type TicketRow, toTicket } from "./tickets";
import { claim, type Step, writeChange } from "./write";

/**
 * One alert by id with its ticket, in one round trip: what paging it needs (the consumer's
 * `{kind: "alert", id}`). Null when there is no such alert; `ticket` null when it is gone.
 */
export async function alertWithTicket(
  db: D1Database,
  id: string,
): Promise<{ alert: Alert; ticket: Ticket | null } | null> {
  const [alert, ticket] = await db.batch([
    selectAlert(db, id),
    db
      .prepare(
        "SELECT t.* FROM alerts a JOIN tickets t ON t.id = a.ticket_id AND t.tenant_id = a.tenant_id WHERE a.id = ?1",
      )
      .bind(id),
  ]);
  const found = alertOf(alert);
  const row = ticket?.results[0] as TicketRow | undefined;
  return found ? { alert: found, ticket: row ? toTicket(row) : null } : null;
}

/** Whether claimAlert could take the alert at `now` (its condition, read from a row already in hand). */
export function claimable(alert: Alert, now: number): boolean {
  return (
    alert.state === "pending" && alert.nextAttemptAt <= now && (alert.leaseUntil === null || alert.leaseUntil <= now)
  );
}

/** Pending alerts whose next try is due, oldest first (the cron's sweep). */
export async function dueAlerts(db: D1Database, now: number, limit: number): Promise<Alert[]> {
  const { results } = await db
    .prepare("SELECT * FROM alerts WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2")
    .bind(now, limit)
    .all<AlertRow>();
  return results.map(toAlert);
}

/**
 * Claims an alert for one delivery try: only one sweep (or request) can hold it, until the
 * lease runs out. Returns null when someone else has it or it is no longer pending.
 */
export async function claimAlert(db: D1Database, id: string, now: number, leaseMs: number): Promise<Alert | null> {
  const row = await db
    .prepare(
      `UPDATE alerts SET lease_until = ?2 + ?3, attempts = attempts + 1
       WHERE id = ?1 AND state = 'pending' AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
       RETURNING *`,
    )
    .bind(id, now, leaseMs)
    .first<AlertRow>();
  return row ? toAlert(row) : null;
}

export interface AttemptRecord {
  alertId: string;
  tenantId: string;
  contactIndex: number;
  channel: string;
  target: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  createdAt: number;
}

function insertAttempt(db: D1Database, a: AttemptRecord): D1PreparedStatement {
  return insertInto(db, "alert_attempts", {
    id: crypto.randomUUID(),
    alert_id: a.alertId,
    tenant_id: a.tenantId,
    contact_index: a.contactIndex,
    channel: a.channel,
    target: a.target,
    ok: a.ok ? 1 : 0,
    status_code: a.statusCode,
    error: a.error,
    created_at: a.createdAt,
  });
}

/** A try recorded on its alert, with the alert as that change left it (read at its end); "lost": nothing written. */
export type Recorded = { outcome: "written"; alert: Alert | null } | { outcome: "lost" };

/** Writes a try's change with the alert read back at its end (writeChange: a read after the writes sees them). */
async function recordTry(db: D1Database, alertId: string, steps: Step[]): Promise<Recorded> {
  const change = await writeChange(db, [...steps, selectAlert(db, alertId)]);
  if (change.outcome === "lost") return change;
  return { outcome: "written", alert: alertOf(change.results[steps.length]) };
}

/**
 * Records a delivered try, with `handOver` (a mail contact's notice): the acknowledgement window
 * starts now. Its claim is the lease this run took (`lease`, from claimAlert): "lost" when the
 * alert was acknowledged meanwhile or another run took it over, and then nothing is written.
 */
export function markDelivered(
  db: D1Database,
  attempt: AttemptRecord,
  escalateAt: number,
  lease: number | null,
  handOver: D1PreparedStatement[] = [],
): Promise<Recorded> {
  return recordTry(db, attempt.alertId, [
    claim(
      db
        .prepare(
          `UPDATE alerts SET state = 'delivered', delivered_at = ?2, escalate_at = ?3, lease_until = NULL, last_error = NULL
           WHERE id = ?1 AND state = 'pending' AND lease_until IS ?4`,
        )
        .bind(attempt.alertId, attempt.createdAt, escalateAt, lease),
    ),
    insertAttempt(db, attempt),
    ...handOver,
  ]);
}

/** Records a failed try; the alert stays pending and is tried again at `retryAt`. Claimed like markDelivered. */
export function markFailed(
  db: D1Database,
  attempt: AttemptRecord,
  retryAt: number,
  lease: number | null,
): Promise<Recorded> {
  return recordTry(db, attempt.alertId, [
    claim(
      db
        .prepare(
          `UPDATE alerts SET next_attempt_at = ?2, lease_until = NULL, last_error = ?3 WHERE id = ?1 AND state = 'pending' AND lease_until IS ?4`,
        )
        .bind(attempt.alertId, retryAt, attempt.error, lease),
    ),
    insertAttempt(db, attempt),
  ]);
}

/** Logs a try whose outcome could not be recorded on the alert (it moved on meanwhile): it still happened. Answers the alert as it is. */
export async function logAttempt(db: D1Database, attempt: AttemptRecord): Promise<Alert | null> {
  const change = await writeChange(db, [insertAttempt(db, attempt), selectAlert(db, attempt.alertId)]);
  return alertOf(change.results[1]);
}
