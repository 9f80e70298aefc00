import { env } from "cloudflare:workers";
import type { Claims } from "./helpers";

/** Staff as the console's tests use them: an agent's or admin's token claims. */
export const staff = (sub: string, name: string, role: "agent" | "admin" = "agent"): Partial<Claims> => ({
  sub,
  name,
  email: `${sub}@host.example`,
  role,
  services: [],
});

/** Puts someone in the tenant's staff directory (as their first request will), optionally deactivated. */
export async function addAgent(
  tenantId: string,
  claims: Partial<Claims>,
  options: { deactivated?: boolean } = {},
): Promise<void> {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT OR REPLACE INTO agents (tenant_id, id, name, email, role, first_seen_at, last_seen_at, deactivated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)`,
  )
    .bind(
      tenantId,
      claims.sub ?? "",
      claims.name ?? "",
      claims.email ?? "",
      claims.role ?? "agent",
      now,
      options.deactivated ? now : null,
    )
    .run();
}

export interface AuditRow {
  action: string;
  actor_id: string;
  ticket_id: string | null;
  detail: string;
}

/** The audit rows of a tenant, oldest first. */
export async function auditRows(tenantId: string, where = "1 = 1", ...params: unknown[]): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT action, actor_id, ticket_id, detail FROM audit_log WHERE tenant_id = ?1 AND ${where} ORDER BY rowid`,
  )
    .bind(tenantId, ...params)
    .all<AuditRow>();
  return results;
}
