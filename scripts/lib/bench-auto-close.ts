/**
 * The auto-close sweep over a big tenant, in Node against local D1 (no HTTP in the way):
 * 100,000 tickets of which 10,000 are `answered` and past the 72-hour default, swept until done.
 * Run from scripts/bench.ts; on its own:
 *   npx tsx -e 'import("./scripts/lib/bench-auto-close.ts").then(async m => m.printAutoCloseBench(await m.benchAutoClose()))'
 */
// The sweep is Worker code run here against the platform proxy's D1 binding: it needs the Workers types.
/// <reference types="@cloudflare/workers-types/2023-07-01" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { sweepAnsweredTickets } from "../../worker/jobs/auto-close";
import { figure, RUNS } from "./bench-figures";
import { applyMigrations, executeSql, ROOT } from "./dev-server";

const TICKETS = 100_000;
/** One ticket in ten is answered (n % 10 = 1), all of them more than 72 hours ago. */
const DUE = TICKETS / 10;
const HOUR = 3_600_000;

export interface AutoCloseRun {
  tickets: number;
  due: number;
  wallMs: number;
  closed: number;
  batches: number;
  rowsReadPerClosed: number;
  rowsWrittenPerClosed: number;
  /** Time spent waiting on the sweep's D1 write batches (one round trip each). */
  batchMs: number;
  /** D1's own execution time for those batches (summed `meta.duration`). */
  sqlMs: number;
  /** Baseline, same database and run: D1's time for one primary-key UPDATE of a ticket. */
  baselineUpdateMs: number;
}

/** D1's own time for a one-row primary-key update, averaged over `count` of them in batches of 25. */
async function baselineUpdate(db: D1Database, count: number): Promise<number> {
  const statement = db.prepare("UPDATE tickets SET version = version WHERE id = ?1 AND tenant_id = 'bench'");
  let sqlMs = 0;
  for (let done = 0; done < count; done += 25) {
    const batch = Array.from({ length: 25 }, (_, i) => statement.bind(`seed-${(((done + i) * 7919) % TICKETS) + 1}`));
    for (const r of await db.batch(batch)) sqlMs += r.meta.duration;
  }
  return sqlMs / count;
}

/**
 * The proxy's D1 binding, with each SQL text prepared once and the write batches timed. Through
 * getPlatformProxy every prepare() and bind() is a round trip from Node to workerd (several ms),
 * a cost a Worker never pays; sharing prepared statements removes half of it, and batchMs/sqlMs
 * show what D1 itself spent.
 */
function measured(db: D1Database) {
  const prepared = new Map<string, D1PreparedStatement>();
  const time = { batchMs: 0, sqlMs: 0 };
  const wrapped: D1Database = {
    prepare(query) {
      let statement = prepared.get(query);
      if (!statement) {
        statement = db.prepare(query);
        prepared.set(query, statement);
      }
      return statement;
    },
    async batch<T>(statements: D1PreparedStatement[]) {
      const started = performance.now();
      const results = await db.batch<T>(statements);
      time.batchMs += performance.now() - started;
      for (const r of results) time.sqlMs += r.meta.duration;
      return results;
    },
    exec: (query) => db.exec(query),
    withSession: (constraint) => db.withSession(constraint),
    dump: () => db.dump(),
  };
  return { db: wrapped, time };
}

function seedSql(now: number): string {
  // The other nine in ten are spread over the statuses the sweep must leave alone.
  const status =
    "CASE n % 10 WHEN 1 THEN 'answered' WHEN 2 THEN 'in_progress' WHEN 3 THEN 'on_hold' WHEN 4 THEN 'open' ELSE 'closed' END";
  return [
    `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{}', ${now}, ${now})`,
    `INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, requester_kind, requester_id,
       requester_email, requester_name, created_at, updated_at, last_activity_at, answered_at)
     WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${TICKETS})
     SELECT 'seed-' || n, 'bench', 10000000 + n, 'Seeded ticket ' || n, ${status}, 'medium', 'billing', 'user',
       'user-' || (n % 1000), 'user' || (n % 1000) || '@example.com', 'User ' || (n % 1000),
       ${now - 200 * HOUR}, ${now - 200 * HOUR}, ${now - 73 * HOUR} - n * 1000,
       CASE WHEN n % 10 IN (1, 2, 3) THEN ${now - 73 * HOUR} - n * 1000 END
     FROM seq`,
  ].join(";\n");
}

/** RUNS sweeps, each over a freshly seeded database. */
export async function benchAutoClose(): Promise<AutoCloseRun[]> {
  const runs: AutoCloseRun[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await sweepOnce());
  return runs;
}

async function sweepOnce(): Promise<AutoCloseRun> {
  const dir = await mkdtemp(join(tmpdir(), "edgedesk-bench-auto-close-"));
  try {
    const now = Date.now();
    await applyMigrations(dir);
    await executeSql(seedSql(now), dir);
    // `wrangler d1 execute --persist-to DIR` keeps its state under DIR/v3, where the proxy must look.
    const proxy = await getPlatformProxy<{ DB: D1Database }>({
      configPath: join(ROOT, "wrangler.toml"),
      persist: { path: join(dir, "v3") },
      remoteBindings: false,
    });
    try {
      const { db, time } = measured(proxy.env.DB);
      const baselineUpdateMs = await baselineUpdate(proxy.env.DB, 2000);
      const totals = { closed: 0, batches: 0, rowsRead: 0, rowsWritten: 0 };
      const started = performance.now();
      for (let done = false; !done; ) {
        const stats = await sweepAnsweredTickets(db, Date.now());
        totals.closed += stats.closed;
        totals.batches += stats.batches;
        totals.rowsRead += stats.rowsRead;
        totals.rowsWritten += stats.rowsWritten;
        done = stats.done;
      }
      const wallMs = Math.round(performance.now() - started);
      const per = (rows: number) => Math.round((rows / Math.max(1, totals.closed)) * 100) / 100;
      return {
        tickets: TICKETS,
        due: DUE,
        wallMs,
        closed: totals.closed,
        batches: totals.batches,
        rowsReadPerClosed: per(totals.rowsRead),
        rowsWrittenPerClosed: per(totals.rowsWritten),
        batchMs: Math.round(time.batchMs),
        sqlMs: Math.round(time.sqlMs),
        baselineUpdateMs,
      };
    } finally {
      await proxy.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printAutoCloseBench(runs: AutoCloseRun[]): void {
  const r = runs[0]!;
  const of = (pick: (x: AutoCloseRun) => number, digits: number) => figure(runs.map(pick), digits);
  const perClosedMs = (x: AutoCloseRun) => x.sqlMs / Math.max(1, x.closed);
  console.log(
    `\nAuto-close sweep: ${r.tickets.toLocaleString("en")} tickets, ${r.due.toLocaleString("en")} answered past 72 h, swept to the end (local D1 via getPlatformProxy).`,
  );
  console.log(`Each figure: median of ${runs.length} runs, each on a freshly seeded database (lowest–highest).\n`);
  console.log(
    `closed ${of((x) => x.closed, 0)} in ${of((x) => x.batches, 0)} write batches; per closed ticket: ${of((x) => x.rowsReadPerClosed, 2)} rows read, ${of((x) => x.rowsWrittenPerClosed, 2)} rows written`,
  );
  console.log(
    `D1 time per closed ticket ${of(perClosedMs, 3)} ms; baseline one-row primary-key UPDATE ${of((x) => x.baselineUpdateMs, 3)} ms; ratio ${of((x) => perClosedMs(x) / x.baselineUpdateMs, 1)}×`,
  );
  console.log(
    `wall ${of((x) => x.wallMs / 1000, 1)} s (mostly Node↔workerd round trips of the proxy, which a deployed Worker does not pay)`,
  );
}
