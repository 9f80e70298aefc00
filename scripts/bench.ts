/**
 * `npm run bench`: the local Worker (wrangler dev, local D1) under loopback load.
 * Every scenario is measured right after the same Worker's trivial endpoint (/healthz, no
 * storage), and reported as a ratio to it: the machine is shared and noisy, ratios are not.
 *   BENCH_REQUESTS (default 2000) and BENCH_CONCURRENCY (default 16) size the runs.
 * Then the auto-close sweep over 10,000 due tickets (D1 time per close against a one-row update),
 * uploads of a 10 MiB file (against writing it to local R2 directly; workerd's peak memory by
 * file size), and the widget: `vite build`, the gzipped bytes of each file, and the demo page's main-thread
 * time in Chromium beside the same page without the widget (BENCH_PAGE_LOADS, default 5).
 */
import { rm } from "node:fs/promises";
import { signEmbedToken } from "../worker/auth/token";
import { benchAutoClose, printAutoCloseBench } from "./lib/bench-auto-close";
import { benchUpload, printUploadBench } from "./lib/bench-upload";
import { benchWidget, printWidgetBench } from "./lib/bench-widget";
import { buildWidget } from "./lib/build-widget";
import { applyMigrations, executeSql, ROOT, startDevServer } from "./lib/dev-server";
import { type LoadResult, load } from "./lib/load";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TENANT_TICKETS = 100_000;
const CUSTOMERS = 1_000;
const SECRET = "bench-embed-secret-0123456789abcdef0123456789";
const persistTo = `${ROOT}.wrangler/bench-${process.pid}`;
const port = 8900 + (process.pid % 90);

function seedSql(now: number): string {
  const statuses =
    "CASE n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'answered' WHEN 2 THEN 'closed' WHEN 3 THEN 'in_progress' ELSE 'on_hold' END";
  return [
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{"email":{"fromAddress":"support@bench.example"}}', ${now}, ${now})`,
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

async function main(): Promise<void> {
  await rm(persistTo, { recursive: true, force: true });
  const now = Date.now();
  console.log(`Seeding a tenant with ${TENANT_TICKETS.toLocaleString("en")} tickets (${CUSTOMERS} customers)…`);
  await applyMigrations(persistTo);
  await executeSql(seedSql(now), persistTo);
  const server = await startDevServer({
    script: "worker/index.ts",
    port,
    persistTo,
    quiet: true,
    vars: { ADMIN_SECRET: "bench-admin-secret", SECRETS_KEY: "bench-secrets-key-0123456789" },
  });
  try {
    const token = async (sub: string, role: "customer" | "agent") => {
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
        { kid: "k1", secret: SECRET },
      );
    };
    const customer = await token("user-7", "customer");
    const agent = await token("agent-1", "agent");
    const get = (path: string, bearer?: string) => () =>
      fetch(`${server.url}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
    const create = () =>
      fetch(`${server.url}/api/v1/bench/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${customer}`, "content-type": "application/json" },
        body: JSON.stringify({
          department: "billing",
          subject: "Benchmark ticket",
          message: "Measuring ticket creation.",
        }),
      });

    const scenarios: { name: string; send: () => Promise<Response>; expect: number }[] = [
      { name: "create a ticket (POST /tickets)", send: create, expect: 201 },
      {
        name: "customer's tickets, first page (100 of 100k)",
        send: get("/api/v1/bench/tickets?limit=25", customer),
        expect: 200,
      },
      { name: "agent queue, first page (100k)", send: get("/api/v1/bench/tickets?limit=25", agent), expect: 200 },
      {
        name: "agent queue, status=open (20k of 100k)",
        send: get("/api/v1/bench/tickets?limit=25&status=open", agent),
        expect: 200,
      },
      { name: "public form config (GET /config)", send: get("/api/v1/bench/config"), expect: 200 },
    ];
    const baseline = get("/healthz");
    const warm = async (send: () => Promise<Response>) =>
      load({ requests: 100, concurrency: CONCURRENCY, send, expect: 200 }).catch(() => undefined);
    await warm(baseline);

    const rows: { name: string; r: LoadResult; base: LoadResult }[] = [];
    for (const s of scenarios) {
      await load({ requests: 100, concurrency: CONCURRENCY, send: s.send, expect: s.expect });
      const base = await load({ requests: REQUESTS, concurrency: CONCURRENCY, send: baseline, expect: 200 });
      const r = await load({ requests: REQUESTS, concurrency: CONCURRENCY, send: s.send, expect: s.expect });
      if (r.errors) throw new Error(`${s.name}: ${r.errors} unexpected statuses`);
      rows.push({ name: s.name, r, base });
    }

    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (n: number, d = 1) => n.toFixed(d).padStart(8);
    console.log(
      `\n${REQUESTS} requests per scenario, ${CONCURRENCY} concurrent, loopback, wrangler dev (workerd + local D1).`,
    );
    console.log("Ratios compare each scenario with GET /healthz measured just before it in the same run.\n");
    console.log(
      `${pad("scenario", 46)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}   ${"thrpt ×".padStart(8)}${"p50 ×".padStart(8)}${"p99 ×".padStart(8)}`,
    );
    for (const { name, r, base } of rows) {
      console.log(
        `${pad(name, 46)}${num(r.perSecond, 0)}${num(r.p50)}${num(r.p99)}   ${num(r.perSecond / base.perSecond, 2)}${num(r.p50 / base.p50, 2)}${num(r.p99 / base.p99, 2)}`,
      );
    }
    const b = rows.map((x) => x.base);
    const avg = (f: (x: LoadResult) => number) => b.reduce((s, x) => s + f(x), 0) / b.length;
    console.log(
      `${pad("baseline GET /healthz (mean of runs)", 46)}${num(
        avg((x) => x.perSecond),
        0,
      )}${num(avg((x) => x.p50))}${num(avg((x) => x.p99))}`,
    );
  } finally {
    await server.stop();
    await rm(persistTo, { recursive: true, force: true });
  }
}

// The Worker serves dist/public (wrangler.toml `[assets]`), so the widget is built before anything starts.
await buildWidget();
await main();
printAutoCloseBench(await benchAutoClose());
printUploadBench(await benchUpload());
printWidgetBench(await benchWidget());
