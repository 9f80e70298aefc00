/**
 * The bench's tenant (`npm run bench`, `npm run profile`): 100,000 tickets of 1,000 customers,
 * the console's queue data over them, and embed tokens signed with its key.
 */
import { signEmbedToken } from "../../worker/auth/token";
import { queueSeedSql } from "./bench-queue";
import { applyMigrations, executeSql } from "./dev-server";

export const TENANT_TICKETS = 100_000;
export const CUSTOMERS = 1_000;
export const BENCH_SECRET = "bench-embed-secret-0123456789abcdef0123456789";

function seedSql(now: number, tickets: number): string {
  const statuses =
    "CASE n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'answered' WHEN 2 THEN 'closed' WHEN 3 THEN 'in_progress' ELSE 'on_hold' END";
  return [
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{"email":{"fromAddress":"support@bench.example"},"limits":{"ticketsPerIdentity":"1000/min","ticketsPerIp":"1000/min"}}', ${now}, ${now})`,
    `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('bench', 'k1', '${BENCH_SECRET}', ${now})`,
    `INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, fields, requester_kind, requester_id,
       requester_email, requester_name, created_at, updated_at, last_activity_at, version)
     WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${tickets})
     SELECT 'seed-' || n, 'bench', 10000000 + n, 'Seeded ticket ' || n, ${statuses}, 'medium', 'billing', '{}', 'user',
       'user-' || (n % ${CUSTOMERS}), 'user' || (n % ${CUSTOMERS}) || '@example.com', 'User ' || (n % ${CUSTOMERS}),
       ${now} - n * 60000, ${now} - n * 60000, ${now} - n * 60000, 1
     FROM seq`,
  ].join(";\n");
}

/** Migrates a fresh local D1 at `persistTo` and seeds the bench's tenant (`tickets` of them) with its queue data. */
export async function seedBenchTenant(persistTo: string, now: number, tickets = TENANT_TICKETS): Promise<void> {
  await applyMigrations(persistTo);
  await executeSql(seedSql(now, tickets), persistTo);
  await executeSql(queueSeedSql(now), persistTo);
}

/** An embed token of the bench's tenant for `sub`, valid for an hour. */
export function benchToken(sub: string, role: "customer" | "agent"): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signEmbedToken(
    {
      iss: "bench",
      aud: "edgedesk",
      sub,
      email: `${sub}@example.com`,
      name: sub,
      role,
      services: [],
      iat,
      exp: iat + 3600,
    },
    { kid: "k1", secret: BENCH_SECRET },
  );
}

/** The body of the bench's new tickets. */
export const BENCH_TICKET = {
  department: "billing",
  subject: "Benchmark ticket",
  message: "Measuring ticket creation.",
};

/** The Worker's vars under the bench: DEBUG_D1_COUNTS makes each answer name its round trips (and Server-Timing). */
export const BENCH_VARS = {
  ADMIN_SECRET: "bench-admin-secret",
  SECRETS_KEY: "bench-secrets-key-0123456789",
  DEBUG_D1_COUNTS: "true",
};
