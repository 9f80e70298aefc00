import type { Env } from "./env";
import { rateLimited } from "./errors";
import type { Allowance, LimitName } from "./schemas/limits";
import type { Tenant } from "./schemas/tenant";

/** Each allowance's namespace (wrangler.toml [[ratelimits]]) and its period, which a refusal's Retry-After names. */
const NAMESPACES: Record<Allowance, { binding: keyof Env & `RATE_${string}`; period: 10 | 60 }> = {
  "5/10s": { binding: "RATE_5_PER_10S", period: 10 },
  "5/min": { binding: "RATE_5_PER_MIN", period: 60 },
  "10/min": { binding: "RATE_10_PER_MIN", period: 60 },
  "30/min": { binding: "RATE_30_PER_MIN", period: 60 },
  "100/min": { binding: "RATE_100_PER_MIN", period: 60 },
  "1000/min": { binding: "RATE_1000_PER_MIN", period: 60 },
};

/** One count: a tenant's limit, for one person, IP address or sender. */
export interface LimitCheck {
  limit: LimitName;
  /** Who is counted, e.g. `user:alice`, `ip:203.0.113.7`, `email:bob@example.org`. */
  subject: string;
}

/**
 * Counts the checks (each in its own tenant's key): 0 when all are within their limits, else the
 * seconds to wait, the longest period among those that refused (the binding says no more).
 */
export async function secondsOverLimits(env: Env, tenant: Tenant, checks: LimitCheck[]): Promise<number> {
  const refusals = await Promise.all(
    checks.map(async ({ limit, subject }) => {
      const { binding, period } = NAMESPACES[tenant.config.limits[limit]];
      const { success } = await env[binding].limit({ key: `${tenant.id}:${limit}:${subject}` });
      return success ? 0 : period;
    }),
  );
  return Math.max(0, ...refusals);
}

/** Counts the checks and throws a 429 with Retry-After when any is over its limit. */
export async function enforceLimits(env: Env, tenant: Tenant, checks: LimitCheck[]): Promise<void> {
  const retryAfter = await secondsOverLimits(env, tenant, checks);
  if (retryAfter > 0) throw rateLimited(retryAfter);
}

/** The client's address as Cloudflare's edge saw it (wrangler dev says 127.0.0.1 for everyone; the Worker tests send none, so only people are counted there). */
export function clientIp(request: Request): string | undefined {
  return request.headers.get("cf-connecting-ip") || undefined;
}
