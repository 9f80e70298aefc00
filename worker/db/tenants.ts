import type { SigningKey } from "../auth/token";
import { type Tenant, TenantConfig, type TenantInput } from "../schemas/tenant";
import { parseNotice } from "./status-notice";

interface TenantRow {
  id: string;
  parent_id: string | null;
  name: string;
  config: string;
  status_notice: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Parsed configs by their stored JSON. Parsing (which also fills in defaults added since the
 * row was written) is the costliest part of reading a tenant; the JSON text is the key, so an
 * update is never served stale. Bounded, per isolate; it caches no ticket data.
 */
const parsedConfigs = new Map<string, TenantConfig>();
const PARSED_CONFIGS_MAX = 200;

function parseConfig(json: string): TenantConfig {
  let config = parsedConfigs.get(json);
  if (!config) {
    config = TenantConfig.parse(JSON.parse(json));
    if (parsedConfigs.size >= PARSED_CONFIGS_MAX) parsedConfigs.delete(parsedConfigs.keys().next().value ?? "");
    parsedConfigs.set(json, config);
  }
  return structuredClone(config);
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    config: parseConfig(row.config),
    statusNotice: parseNotice(row.status_notice),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const selectTenant = (db: D1Database, id: string) => db.prepare("SELECT * FROM tenants WHERE id = ?1").bind(id);
const selectActiveKeys = (db: D1Database, tenantId: string) =>
  db
    .prepare(
      "SELECT kid, secret FROM tenant_secrets WHERE tenant_id = ?1 AND revoked_at IS NULL ORDER BY created_at DESC",
    )
    .bind(tenantId);

export async function readTenant(db: D1Database, id: string): Promise<Tenant | null> {
  const row = await selectTenant(db, id).first<TenantRow>();
  return row ? toTenant(row) : null;
}

/** Whether the tenant has webhook endpoints: a change of theirs then queues its webhook deliveries (webhooks/). */
const selectHasWebhooks = (db: D1Database, tenantId: string) =>
  db.prepare("SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = ?1) AS has").bind(tenantId);

/** The tenant, its active signing keys and whether it has webhooks, in one round trip: what every API request needs first. */
export async function readTenantWithKeys(
  db: D1Database,
  id: string,
): Promise<{ tenant: Tenant; keys: SigningKey[]; webhooks: boolean } | null> {
  const [tenants, keys, hooks] = await db.batch<unknown>([
    selectTenant(db, id),
    selectActiveKeys(db, id),
    selectHasWebhooks(db, id),
  ]);
  const row = tenants?.results[0] as TenantRow | undefined;
  const webhooks = (hooks?.results[0] as { has: number } | undefined)?.has === 1;
  return row ? { tenant: toTenant(row), keys: (keys?.results ?? []) as SigningKey[], webhooks } : null;
}

export async function upsertTenant(db: D1Database, id: string, input: TenantInput, now: number): Promise<Tenant> {
  await db
    .prepare(
      `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
       ON CONFLICT (id) DO UPDATE SET parent_id = ?2, name = ?3, config = ?4, updated_at = ?5`,
    )
    .bind(id, input.parentId, input.name, JSON.stringify(input.config), now)
    .run();
  const tenant = await readTenant(db, id);
  if (!tenant) throw new Error(`tenant ${id} vanished after upsert`);
  return tenant;
}

export interface SecretInfo {
  kid: string;
  createdAt: number;
  revokedAt: number | null;
}

export async function listSecrets(db: D1Database, tenantId: string): Promise<SecretInfo[]> {
  const { results } = await db
    .prepare("SELECT kid, created_at, revoked_at FROM tenant_secrets WHERE tenant_id = ?1 ORDER BY created_at")
    .bind(tenantId)
    .all<{ kid: string; created_at: number; revoked_at: number | null }>();
  return results.map((r) => ({ kid: r.kid, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

/** Adds a signing secret; false when the key id is taken. */
export async function insertSecret(db: D1Database, tenantId: string, key: SigningKey, now: number): Promise<boolean> {
  const r = await db
    .prepare("INSERT OR IGNORE INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(tenantId, key.kid, key.secret, now)
    .run();
  return r.meta.changes === 1;
}

/** Revokes a signing secret; false when there was no such active key. */
export async function revokeSecret(db: D1Database, tenantId: string, kid: string, now: number): Promise<boolean> {
  const r = await db
    .prepare("UPDATE tenant_secrets SET revoked_at = ?3 WHERE tenant_id = ?1 AND kid = ?2 AND revoked_at IS NULL")
    .bind(tenantId, kid, now)
    .run();
  return r.meta.changes === 1;
}

/**
 * The tenant whose mail domain this is: its `email.replyDomain`, else its From address's domain.
 * Tenants are few (providers and resellers), so this reads them rather than keep an index.
 */
export async function readTenantByMailDomain(db: D1Database, domain: string): Promise<Tenant | null> {
  const { results } = await db
    .prepare(
      `SELECT * FROM tenants
       WHERE lower(coalesce(json_extract(config, '$.email.replyDomain'),
                            substr(json_extract(config, '$.email.fromAddress'), instr(json_extract(config, '$.email.fromAddress'), '@') + 1))) = ?1
       ORDER BY created_at LIMIT 1`,
    )
    .bind(domain.toLowerCase())
    .all<TenantRow>();
  const row = results[0];
  return row ? toTenant(row) : null;
}

/** A tenant and its secrets' key ids and dates (never the secrets) in one round trip: the settings page's read. */
export async function readTenantWithSecretInfo(
  db: D1Database,
  id: string,
): Promise<{ tenant: Tenant; secrets: SecretInfo[] } | null> {
  const [tenants, secrets] = await db.batch<unknown>([
    selectTenant(db, id),
    db
      .prepare("SELECT kid, created_at, revoked_at FROM tenant_secrets WHERE tenant_id = ?1 ORDER BY created_at")
      .bind(id),
  ]);
  const row = tenants?.results[0] as TenantRow | undefined;
  if (!row) return null;
  const rows = (secrets?.results ?? []) as { kid: string; created_at: number; revoked_at: number | null }[];
  return {
    tenant: toTenant(row),
    secrets: rows.map((r) => ({ kid: r.kid, createdAt: r.created_at, revokedAt: r.revoked_at })),
  };
}
