/**
 * The staff directory: agents and admins as their signed tokens named them (migration 0005).
 * Read here; the queue part adds the upsert on first use and deactivation.
 */

export interface Agent {
  tenantId: string;
  /** The token's `sub`; what `tickets.assignee` holds. */
  id: string;
  name: string;
  email: string;
  role: "agent" | "admin";
  firstSeenAt: number;
  lastSeenAt: number;
  deactivatedAt: number | null;
}

interface AgentRow {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  role: "agent" | "admin";
  first_seen_at: number;
  last_seen_at: number;
  deactivated_at: number | null;
}

export function toAgent(row: AgentRow): Agent {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    deactivatedAt: row.deactivated_at,
  };
}

export async function readAgent(db: D1Database, tenantId: string, id: string): Promise<Agent | null> {
  const row = await db
    .prepare("SELECT * FROM agents WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<AgentRow>();
  return row ? toAgent(row) : null;
}

/** Everyone the tenant's staff have been, active first, then by name. */
export async function listAgents(db: D1Database, tenantId: string): Promise<Agent[]> {
  const { results } = await db
    .prepare("SELECT * FROM agents WHERE tenant_id = ?1 ORDER BY deactivated_at IS NOT NULL, name, id")
    .bind(tenantId)
    .all<AgentRow>();
  return results.map(toAgent);
}

/** Who a signed token says a staff member is, as of `now`. */
export interface SeenStaff {
  tenantId: string;
  id: string;
  name: string;
  email: string;
  role: "agent" | "admin";
  now: number;
}

/**
 * Adds the token's agent or admin to the directory, or refreshes their name, email, role and
 * last sighting: one statement, answering when (if ever) an admin deactivated them.
 */
export async function upsertAgent(db: D1Database, seen: SeenStaff): Promise<{ deactivatedAt: number | null }> {
  const row = await db
    .prepare(
      `INSERT INTO agents (tenant_id, id, name, email, role, first_seen_at, last_seen_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, email = excluded.email,
         role = excluded.role, last_seen_at = max(last_seen_at, excluded.last_seen_at)
       RETURNING deactivated_at`,
    )
    .bind(seen.tenantId, seen.id, seen.name, seen.email, seen.role, seen.now)
    .first<{ deactivated_at: number | null }>();
  return { deactivatedAt: row?.deactivated_at ?? null };
}

/**
 * Deactivates (`at` a time) or reactivates (`at` null) an agent; the claim of that change: it
 * writes only when the agent exists and is not already in that state (db/write.ts).
 */
export function setAgentDeactivated(
  db: D1Database,
  tenantId: string,
  id: string,
  at: number | null,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE agents SET deactivated_at = ?3
       WHERE tenant_id = ?1 AND id = ?2 AND (deactivated_at IS NULL) != (?3 IS NULL)`,
    )
    .bind(tenantId, id, at);
}
