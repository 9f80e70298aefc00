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
/** A second tenant, without `email`: what creating a ticket costs when its notice is not mailed. */
export const NO_MAIL_TENANT = "bench-nomail";

function seedSql(now: number, tickets: number): string {
  const statuses =
    "CASE n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'answered' WHEN 2 THEN 'closed' WHEN 3 THEN 'in_progress' ELSE 'on_hold' END";
  return [
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{"email":{"fromAddress":"support@bench.example"},"limits":{"ticketsPerIdentity":"1000/min","ticketsPerIp":"1000/min"}}', ${now}, ${now})`,
    `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('bench', 'k1', '${BENCH_SECRET}', ${now})`,
    // The same desk with no mail set up: its receipts are recorded and skipped, never composed (the bench's
    // "create, no mail" line, against which creating with a mailed notice is compared).
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('${NO_MAIL_TENANT}', NULL, 'Bench Hosting, no mail', '{"limits":{"ticketsPerIdentity":"1000/min","ticketsPerIp":"1000/min"}}', ${now}, ${now})`,
    `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('${NO_MAIL_TENANT}', 'k1', '${BENCH_SECRET}', ${now})`,
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

/** An embed token of the bench's tenant (or `tenant`) for `sub`, valid for an hour. */
export function benchToken(sub: string, role: "customer" | "agent", tenant = "bench"): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signEmbedToken(
    {
      iss: tenant,
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

/** The Worker's vars under the bench. */
export const BENCH_VARS = {
  ADMIN_SECRET: "bench-admin-secret",
  SECRETS_KEY: "bench-secrets-key-0123456789",
};

/**
 * The same, and each answer names its D1 round trips (`Edgedesk-D1`) and its waits (`Server-Timing`).
 * The counting wraps every D1 call, so the bench reads the counts in a pass of its own and times the
 * runs without it.
 */
export const COUNTING_VARS = { ...BENCH_VARS, DEBUG_D1_COUNTS: "true" };
