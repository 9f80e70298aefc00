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
