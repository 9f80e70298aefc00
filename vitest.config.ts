import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// migrations/, read once here in Node and handed to the Worker tests as a binding (setup.ts applies them).
const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

export default defineConfig({
  test: {
    projects: [
      {
        // The Worker, inside workerd, against real local D1 and R2.
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_SECRET: "test-admin-secret-0123456789abcdef",
                SECRETS_KEY: "test-secrets-key-0123456789abcdef",
                TEST_MIGRATIONS: migrations,
                // Presence: "typing" lasts 300 ms instead of 5 s, so its expiry is seen without a long wait.
                PRESENCE_TYPING_MS: "300",
              },
              // Databases no setup file touches, for the migration tests to start from empty.
              d1Databases: { FRESH_DB: "edgedesk-fresh", UPGRADE_DB: "edgedesk-upgrade" },
              // Cloudflare's send_email binding as workerd simulates it (it checks the MIME it is given).
              email: { send_email: [{ name: "EMAIL" }] },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
        },
      },
      {
        // Checks that start nothing: the code base's shape, the cron matcher, the element manifest.
        test: {
          name: "unit",
          environment: "node",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        // The command-line tools, `npm start`'s demo, and the widget in real Chromium, against one
        // seeded demo Worker that the global setup builds and starts (inject("demoUrl")).
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts"],
          globalSetup: ["./test/node/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // A page on a busy 2-core machine can take over a second to settle; a poll still fails
          // when the page never shows what it waits for.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
