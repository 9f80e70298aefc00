/**
 * A tenant's own admins changing their desk (routes/settings.ts): its name and config, and its
 * embed secrets. Each is a claim in one change with its audit row (db/write.ts, db/audit.ts).
 */
import type { SigningKey } from "../auth/token";
import type { TenantConfig } from "../schemas/tenant";

/**
 * The claim of a settings change: the tenant is still as it was read (its updated_at), so a change
 * made meanwhile (another admin, the provider's admin API) is never overwritten unseen.
 */
export function updateTenantIfUnchanged(
  db: D1Database,
  t: { id: string; name: string; config: TenantConfig; readUpdatedAt: number; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE tenants SET name = ?2, config = ?3, updated_at = max(?4, updated_at + 1) WHERE id = ?1 AND updated_at = ?5",
    )
    .bind(t.id, t.name, JSON.stringify(t.config), t.now, t.readUpdatedAt);
}

/** A new embed secret (its kid is fresh: a taken one fails the change as a UNIQUE violation). */
export function insertTenantSecret(
  db: D1Database,
  tenantId: string,
  key: SigningKey,
  now: number,
): D1PreparedStatement {
  return db
    .prepare("INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(tenantId, key.kid, key.secret, now);
}

/** The claim of a revocation: the key is active and is not the tenant's last active one. */
export function revokeTenantSecretUnlessLast(
  db: D1Database,
  tenantId: string,
  kid: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tenant_secrets SET revoked_at = ?3
       WHERE tenant_id = ?1 AND kid = ?2 AND revoked_at IS NULL
         AND (SELECT count(*) FROM tenant_secrets WHERE tenant_id = ?1 AND revoked_at IS NULL) > 1`,
    )
    .bind(tenantId, kid, now);
}
