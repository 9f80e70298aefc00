import type { SigningKey } from "./auth/token";
import type { Env } from "./env";
import type { Tenant } from "./schemas/tenant";

/** Hono's environment for every route: bindings, plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The tenant named in the path, set by `tenantContext` (shared by the isolate's requests, frozen). */
    tenant: Tenant;
    /** The tenant's active embed-token keys, loaded with it. */
    signingKeys: readonly SigningKey[];
    /** Whether the tenant has webhook endpoints, loaded with it: its changes then queue a webhook delivery. */
    webhooks: boolean;
  };
}
