/**
 * The console's queue in `npm run bench`: the seeded tenant's tickets get what the saved views
 * filter and sort by (assignees, emergency priorities, waits, answers, after-hours alerts, the
 * staff directory), and each saved view's first page becomes a scenario measured against
 * /healthz like the others (docs/console.md, "Queue").
 */
import { QUEUE_VIEWS } from "../../shared/queue-views";

const HOUR = 3_600_000;
/** Agents the seeded tickets are assigned to; the bench's agent is agent-1. */
const AGENTS = 10;

/**
 * SQL run after the bench's seed of `seed-1` … `seed-N` (ticket n last active n minutes ago):
 * a quarter of the tickets assigned (to ten agents), one in 53 urgent, the open and in-progress
 * ones waiting since their last activity with a deadline 8 hours later, the answered ones
 * answered within the last 72 hours (a third of them inside auto-close's last 24 hours), and an
 * alert on one ticket in 499 (pending, delivered or acknowledged).
 */
export function queueSeedSql(now: number): string {
  const n = "CAST(substr(id, 6) AS INTEGER)";
  return [
    `UPDATE tickets SET
       assignee = CASE WHEN ${n} % 4 = 0 THEN 'agent-' || (${n} / 20 % ${AGENTS}) END,
       priority = CASE WHEN ${n} % 53 = 7 THEN 'urgent' ELSE priority END,
       waiting_since = CASE WHEN status IN ('open', 'in_progress') THEN last_activity_at END,
       respond_by = CASE WHEN status IN ('open', 'in_progress') THEN last_activity_at + ${8 * HOUR} END,
       answered_at = CASE WHEN status = 'answered' THEN ${now} - (${n} % 72) * ${HOUR} END
     WHERE tenant_id = 'bench'`,
    `INSERT INTO alerts (id, tenant_id, ticket_id, trigger, trigger_key, priority, state, next_attempt_at, created_at)
     SELECT 'alert-' || id, 'bench', id, 'raised', 'bench:' || id, priority,
       CASE ${n} % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'delivered' ELSE 'acknowledged' END, ${now}, ${now}
     FROM tickets WHERE tenant_id = 'bench' AND ${n} % 499 = 3`,
    `INSERT INTO agents (tenant_id, id, name, email, role, first_seen_at, last_seen_at)
     WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < ${AGENTS - 1})
     SELECT 'bench', 'agent-' || k, 'agent-' || k, 'agent-' || k || '@example.com', 'agent', ${now}, ${now} FROM seq`,
  ].join(";\n");
}

/** Each saved view's first page (25 rows), newest activity first: a name and a path for the bench's scenarios. */
export function queueBenchPaths(tenant: string, tickets: number): { name: string; path: string }[] {
  const of = `${Math.round(tickets / 1000)}k`;
  return QUEUE_VIEWS.map((view) => ({
    name: `console queue, view=${view} (${of})`,
    path: `/api/v1/${tenant}/queue?view=${view}&limit=25`,
  })).concat([
    {
      name: `console queue, view=open&sort=waiting (${of})`,
      path: `/api/v1/${tenant}/queue?view=open&sort=waiting&limit=25`,
    },
    { name: `console queue counts, 9 views (${of})`, path: `/api/v1/${tenant}/queue/counts` },
  ]);
}
