import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../../worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** migrations/, read by vitest.config.ts; test/worker/setup.ts applies them to DB. */
      TEST_MIGRATIONS: D1Migration[];
      /** Empty databases for the migration tests (test/worker/migrations.test.ts). */
      FRESH_DB: D1Database;
      UPGRADE_DB: D1Database;
    }
    interface GlobalProps {
      mainModule: typeof import("../../worker/index");
    }
  }
}
