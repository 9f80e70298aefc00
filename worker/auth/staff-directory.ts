import { type SeenStaff, upsertAgent } from "../db/agents";
import { ApiError } from "../errors";

/**
 * How long an isolate trusts its own record of a staff member (in the directory, and whether
 * deactivated) before writing their sighting to D1 again: a warm staff request pays no round
 * trip for the directory. The bound on staleness: an admin's deactivation through another
 * isolate takes effect everywhere within it (the isolate that made it forgets at once,
 * `forgetStaff`). Like the tenant cache (middleware/tenant-cache.ts).
 */
export const STAFF_CACHE_MS = 30_000;
/** Staff of the tenants one isolate serves: a few thousand at most. */
const STAFF_CACHE_MAX = 5_000;

interface Entry {
  name: string;
  email: string;
  role: "agent" | "admin";
  deactivatedAt: number | null;
  loadedAt: number;
}

const entries = new Map<string, Entry>();
/** Bumped by every `forgetStaff`, so an upsert that started before a deactivation never stores what it saw. */
let generation = 0;

const keyOf = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

/**
 * Records the staff member a verified token names (added on first use, refreshed at most once
 * per STAFF_CACHE_MS, or at once when the token names them differently) and refuses one an
 * admin deactivated with 403. Customers and guests never come here.
 */
export async function admitStaff(db: D1Database, seen: SeenStaff): Promise<void> {
  const key = keyOf(seen.tenantId, seen.id);
  const hit = entries.get(key);
  const fresh =
    hit &&
    seen.now >= hit.loadedAt &&
    seen.now - hit.loadedAt < STAFF_CACHE_MS &&
    hit.name === seen.name &&
    hit.email === seen.email &&
    hit.role === seen.role;
  let deactivatedAt = hit?.deactivatedAt ?? null;
  if (!fresh) {
    const startedAt = generation;
    ({ deactivatedAt } = await upsertAgent(db, seen));
    if (generation === startedAt) {
      entries.delete(key);
      if (entries.size >= STAFF_CACHE_MAX) entries.delete(entries.keys().next().value ?? "");
      entries.set(key, { name: seen.name, email: seen.email, role: seen.role, deactivatedAt, loadedAt: seen.now });
    }
  }
  if (deactivatedAt !== null)
    throw new ApiError(
      "forbidden",
      "Your staff account on this desk was deactivated by an admin; ask an admin of this desk to reactivate it.",
    );
}

/** After an admin (de)activates someone: this isolate reads their state afresh on their next request. */
export function forgetStaff(tenantId: string, id: string): void {
  generation++;
  entries.delete(keyOf(tenantId, id));
}
