import { deepFreeze } from "../auth/frozen";
import type { SigningKey } from "../auth/token";
import { readTenantWithKeys } from "../db/tenants";
import type { Tenant } from "../schemas/tenant";

/**
 * How long an isolate answers from its own copy of a tenant (config, parsed) and its active
 * signing keys before reading them from D1 again. The bound on staleness: an admin change made
 * through another isolate — a revoked key, a new config — takes effect everywhere within it. The
 * isolate that made the change forgets its copy at once (`forgetTenant`, from routes/admin.ts).
 * The queue's consumer reads tenants through it too (email/mailer.ts, alerts/delivery.ts): the
 * requests' copy, so a notice of a warm tenant costs no round trip for it.
 */
export const TENANT_CACHE_MS = 30_000;
/** Tenants are providers and resellers, not customers: a few hundred at most per isolate. */
const TENANT_CACHE_MAX = 500;

export interface TenantWithKeys {
  readonly tenant: Tenant;
  readonly keys: readonly SigningKey[];
  /** It has webhook endpoints (as of this copy; the cron queues what a stale copy did not). */
  readonly webhooks: boolean;
}

interface Entry extends TenantWithKeys {
  loadedAt: number;
}

/** By tenant id, exactly: one tenant's entry is never another's. Misses (unknown ids) are not kept. */
const entries = new Map<string, Entry>();
/** Bumped by every `forgetTenant`, so a read that started before a change never stores what it saw. */
let generation = 0;

/** The tenant and its active keys, from this isolate's copy when it is younger than TENANT_CACHE_MS. */
export async function cachedTenantWithKeys(db: D1Database, id: string, now: number): Promise<TenantWithKeys | null> {
  const hit = entries.get(id);
  // A clock that went backwards (a test's pinned clock) counts as expired, never as fresh forever.
  if (hit && now >= hit.loadedAt && now - hit.loadedAt < TENANT_CACHE_MS) return hit;
  const startedAt = generation;
  const found = await readTenantWithKeys(db, id);
  if (!found) {
    entries.delete(id);
    return null;
  }
  // Requests share one copy: frozen, so no request can change what the next one sees.
  const entry: Entry = deepFreeze({ ...found, loadedAt: now });
  if (generation === startedAt) {
    entries.delete(id);
    if (entries.size >= TENANT_CACHE_MAX) entries.delete(entries.keys().next().value ?? "");
    entries.set(id, entry);
  }
  return entry;
}

/** After an admin change to a tenant or its keys: this isolate reads it afresh on the next request. */
export function forgetTenant(id: string): void {
  generation++;
  entries.delete(id);
}
