import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Every migration not yet applied, in order, as `wrangler d1 migrations apply` does in production.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
