/**
 * The benchmark's 100k-ticket tenant (`bench`, 1,000 customers), as SQL for a fresh local D1: the
 * load scenarios of scripts/bench.ts and the export of scripts/lib/bench-export.ts seed the same.
 */
export const TENANT_TICKETS = 100_000;
export const CUSTOMERS = 1_000;
export const SECRET = "bench-embed-secret-0123456789abcdef0123456789";

export function seedSql(now: number): string {
  const statuses =
    "CASE n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'answered' WHEN 2 THEN 'closed' WHEN 3 THEN 'in_progress' ELSE 'on_hold' END";
  return [
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{"email":{"fromAddress":"support@bench.example"},"limits":{"ticketsPerIdentity":"1000/min","ticketsPerIp":"1000/min"}}', ${now}, ${now})`,
    `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('bench', 'k1', '${SECRET}', ${now})`,
    `INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, fields, requester_kind, requester_id,
       requester_email, requester_name, created_at, updated_at, last_activity_at, version)
     WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${TENANT_TICKETS})
     SELECT 'seed-' || n, 'bench', 10000000 + n, 'Seeded ticket ' || n, ${statuses}, 'medium', 'billing', '{}', 'user',
       'user-' || (n % ${CUSTOMERS}), 'user' || (n % ${CUSTOMERS}) || '@example.com', 'User ' || (n % ${CUSTOMERS}),
       ${now} - n * 60000, ${now} - n * 60000, ${now} - n * 60000, 1
     FROM seq`,
  ].join(";\n");
}
