import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import { QUEUE_VIEWS, type QueueCounts, type QueueRow } from "../../worker/schemas/queue";
import { newTenant } from "./helpers";

/**
 * The console's queue on a big tenant: what D1 bills (rows read) for a view's first page and for
 * the counts must not grow with the tenant (docs/console.md, "Queue", Cost). The tenant is seeded
 * in one statement, like `npm run bench`'s (scripts/bench.ts), so that every view holds more
 * tickets than a page and the big views more than the counts' cap.
 */

const HOUR = 3_600_000;
const TICKETS = 6000;
/** What a first page of 25 may read: the page, the row that says more follow, and the index's edges. */
const PAGE_BUDGET = 100;

interface Measured<T> {
  status: number;
  body: T;
  rowsRead: number;
  calls: number;
}

/** Calls the Worker over a D1 that counts what it reads. */
async function measure<T>(path: string, token: string): Promise<Measured<T>> {
  const counts = noD1Counts();
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com${path}`, { headers: { authorization: `Bearer ${token}` } }),
    { ...env, DB: countingD1(env.DB, counts) },
    ctx,
  );
  const body = (await res.json()) as T;
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, rowsRead: counts.rowsRead, calls: counts.calls };
}

/**
 * Ticket n last active n minutes ago; statuses in turn (open, answered, closed, in progress, on
 * hold); a quarter assigned to ten agents (agent-1 is the caller); one in seven urgent and one in
 * seven high (the default emergency priorities); the waiting ones waiting since their activity;
 * the answered ones answered within the last 72 hours (a third inside auto-close's last 24); an
 * open alert on one ticket in 97.
 */
function seedSql(tenant: string, now: number): string[] {
  const statuses =
    "CASE n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'answered' WHEN 2 THEN 'closed' WHEN 3 THEN 'in_progress' ELSE 'on_hold' END";
  return [
    `INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, fields, requester_kind, requester_id,
       requester_email, requester_name, created_at, updated_at, last_activity_at, version, assignee, answered_at, waiting_since)
     WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${TICKETS})
     SELECT '${tenant}-' || n, '${tenant}', 10000000 + n, 'Seeded ticket ' || n, ${statuses},
       CASE n % 7 WHEN 3 THEN 'urgent' WHEN 5 THEN 'high' ELSE 'medium' END, 'billing', '{}', 'user',
       'user-' || (n % 100), 'user' || (n % 100) || '@example.com', 'User ' || (n % 100),
       ${now} - n * 60000, ${now} - n * 60000, ${now} - n * 60000, 1,
       CASE WHEN n % 4 = 0 THEN 'agent-' || (n / 20 % 10) END,
       CASE WHEN n % 5 = 1 THEN ${now} - (n % 72) * ${HOUR} END,
       CASE WHEN n % 5 IN (0, 3) THEN ${now} - n * 60000 END
     FROM seq`,
    `INSERT INTO alerts (id, tenant_id, ticket_id, trigger, trigger_key, priority, state, next_attempt_at, created_at)
     SELECT 'alert-' || id, '${tenant}', id, 'raised', 'seed:' || id, priority,
       CASE CAST(substr(id, length('${tenant}') + 2) AS INTEGER) % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'delivered' ELSE 'acknowledged' END,
       ${now}, ${now}
     FROM tickets WHERE tenant_id = '${tenant}' AND CAST(substr(id, length('${tenant}') + 2) AS INTEGER) % 97 = 3`,
  ];
}

describe(`the queue on a tenant of ${TICKETS} tickets reads a bounded number of rows`, async () => {
  const t = await newTenant();
  const now = Date.now();
  await env.DB.batch(seedSql(t.id, now).map((sql) => env.DB.prepare(sql)));
  const agent = await t.token({ sub: "agent-1", email: "agent1@example.com", name: "Agent One", role: "agent" });
  const base = `/api/v1/${t.id}`;
  // The agent's first request adds them to the staff directory: not what is measured.
  expect((await measure(`${base}/queue`, agent)).status).toBe(200);

  /** Each view's size, counted exactly here (not by the API). */
  const exact = async (where: string) =>
    (
      await env.DB.prepare(`SELECT count(*) AS n FROM tickets t WHERE t.tenant_id = ?1 AND ${where}`)
        .bind(t.id)
        .first<{ n: number }>()
    )?.n ?? 0;
  const openAlerts =
    (
      await env.DB.prepare(
        "SELECT count(*) AS n FROM alerts WHERE tenant_id = ?1 AND state IN ('pending', 'delivered', 'acknowledged')",
      )
        .bind(t.id)
        .first<{ n: number }>()
    )?.n ?? 0;
  const closingBefore = now + 24 * HOUR - 72 * HOUR;
  const sizes: QueueCounts = {
    mine: await exact("assignee = 'agent-1' AND status != 'closed'"),
    unassigned: await exact("assignee IS NULL AND status != 'closed'"),
    open: await exact("status IN ('open', 'in_progress')"),
    waiting: await exact("status = 'answered'"),
    on_hold: await exact("status = 'on_hold'"),
    emergencies: await exact("priority IN ('urgent', 'high') AND status != 'closed'"),
    alerts: await exact(
      "status != 'closed' AND EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id AND a.state IN ('pending', 'delivered', 'acknowledged'))",
    ),
    closing_soon: await exact(`status = 'answered' AND answered_at <= ${closingBefore}`),
    all: TICKETS,
  };

  it("seeds views bigger than a page, and some bigger than the counts' cap", () => {
    for (const view of QUEUE_VIEWS) expect(sizes[view], view).toBeGreaterThan(25);
    expect(sizes.all).toBeGreaterThan(1000);
    expect(sizes.unassigned).toBeGreaterThan(1000);
    expect(sizes.mine).toBeLessThan(1000);
  });

  it("reads about a page's worth of rows for each view's first page", async () => {
    const read: Record<string, number> = {};
    for (const view of QUEUE_VIEWS) {
      const res = await measure<{ tickets: QueueRow[]; nextCursor: string | null }>(
        `${base}/queue?view=${view}&limit=25`,
        agent,
      );
      expect(res.status, view).toBe(200);
      expect(res.body.tickets, view).toHaveLength(25);
      expect(res.body.nextCursor, view).not.toBeNull();
      expect(res.calls, view).toBe(1);
      read[view] = res.rowsRead;
    }
    console.log("rows read per first page", JSON.stringify(read));
    // `alerts` starts from the tenant's open alerts (few: pages after hours), whatever the tickets.
    const limitOf = (view: string) => (view === "alerts" ? PAGE_BUDGET + 3 * openAlerts : PAGE_BUDGET);
    const budget = Object.fromEntries(QUEUE_VIEWS.map((view) => [view, Math.min(read[view] ?? 0, limitOf(view))]));
    expect(read).toEqual(budget);
  });

  it("pages emergencies (newest activity first) and closing_soon (closing first) in the order SQL gives", async () => {
    const expectedIds = async (where: string, orderBy: string) =>
      (
        await env.DB.prepare(`SELECT id FROM tickets WHERE tenant_id = ?1 AND ${where} ORDER BY ${orderBy} LIMIT 75`)
          .bind(t.id)
          .all<{ id: string }>()
      ).results.map((r) => r.id);
    const pages = async (view: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res: Measured<{ tickets: QueueRow[]; nextCursor: string | null }> = await measure(
          `${base}/queue?view=${view}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          agent,
        );
        expect(res.status).toBe(200);
        expect(res.rowsRead, `${view} page ${i + 1}`).toBeLessThanOrEqual(PAGE_BUDGET);
        ids.push(...res.body.tickets.map((x) => x.id));
        cursor = res.body.nextCursor;
      }
      return ids;
    };
    expect(await pages("emergencies")).toEqual(
      await expectedIds("priority IN ('urgent', 'high') AND status != 'closed'", "last_activity_at DESC, id DESC"),
    );
    // Seeded answers share their hour: the id orders each hour's tickets.
    expect(await pages("closing_soon")).toEqual(
      await expectedIds(`status = 'answered' AND answered_at <= ${closingBefore}`, "answered_at, id"),
    );
  });

  it("counts each view up to the cap, in one round trip, reading at most nine caps' worth", async () => {
    const res = await measure<{ counts: QueueCounts; cap: number }>(`${base}/queue/counts`, agent);
    expect(res.status).toBe(200);
    expect(res.calls).toBe(1);
    const { cap } = res.body;
    expect(cap).toBe(1000);
    expect(res.body.counts).toEqual(Object.fromEntries(QUEUE_VIEWS.map((view) => [view, Math.min(sizes[view], cap)])));
    // Exact where the view is smaller than the cap, the cap where it is bigger.
    expect(res.body.counts.all).toBe(cap);
    expect(res.body.counts.mine).toBe(sizes.mine);
    console.log("rows read by the counts", res.rowsRead);
    expect(res.rowsRead).toBeLessThanOrEqual(9 * (cap + 1));
    // Exact counts would read every view's tickets.
    const everything = QUEUE_VIEWS.reduce((sum, view) => sum + sizes[view], 0);
    expect(everything).toBeGreaterThan(9 * (cap + 1));
  });
});
