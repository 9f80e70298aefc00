import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { billingTicket, newTenant } from "./helpers";
import { type Measured, measure } from "./measure";

/** One row of the budget: round trips (and rows) on the request path, then round trips in waitUntil. */
const row = (m: Measured) =>
  `${m.status}: ${m.request.calls} (read ${m.request.rowsRead}, wrote ${m.request.rowsWritten}) + ${m.background.calls} after`;

describe("D1 round trips per request, warm tenant (docs/benchmarks.md)", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token({ sub: "agent-1", email: "agent@example.com", name: "Agent Smith", role: "agent" });
  const base = `/api/v1/${t.id}`;

  it("spends what the table says on each main route", async () => {
    const cold = await measure("GET", `${base}/config`, customer);
    // An agent's first request in an isolate adds them to the staff directory (auth/staff-directory.ts).
    const coldStaff = await measure("GET", `${base}/queue`, agent);
    const created = await measure("POST", `${base}/tickets`, customer, billingTicket);
    const id = (created.body as CreateTicketResponse).ticket.id;
    const retryKey = { "idempotency-key": `reply-${id}` };
    const table = {
      "GET /config, cold (first request after an admin change)": row(cold),
      "GET /config": row(await measure("GET", `${base}/config`, customer)),
      "POST /tickets": row(created),
      "GET /tickets/{id} (customer)": row(await measure("GET", `${base}/tickets/${id}`, customer)),
      "GET /tickets (customer)": row(await measure("GET", `${base}/tickets`, customer)),
      "GET /tickets (agent queue)": row(await measure("GET", `${base}/tickets`, agent)),
      "POST /tickets/{id}/messages (agent)": row(
        await measure("POST", `${base}/tickets/${id}/messages`, agent, { body: "We are on it." }),
      ),
      "POST /tickets/{id}/messages (customer)": row(
        await measure("POST", `${base}/tickets/${id}/messages`, customer, { body: "Thank you." }),
      ),
      "POST /tickets/{id}/messages (customer, Idempotency-Key)": row(
        await measure("POST", `${base}/tickets/${id}/messages`, customer, { body: "Once." }, {}, retryKey),
      ),
      "POST /tickets/{id}/messages (the same Idempotency-Key again: replayed)": row(
        await measure("POST", `${base}/tickets/${id}/messages`, customer, { body: "Once." }, {}, retryKey),
      ),
      "PATCH /tickets/{id} (agent)": row(
        await measure("PATCH", `${base}/tickets/${id}`, agent, { status: "in_progress" }),
      ),
      "GET /queue, cold staff (the agent's first request in this isolate)": row(coldStaff),
      "GET /queue": row(await measure("GET", `${base}/queue`, agent)),
      "GET /queue?view=alerts&sort=waiting": row(await measure("GET", `${base}/queue?view=alerts&sort=waiting`, agent)),
      "GET /queue?view=all&q=invoice": row(await measure("GET", `${base}/queue?view=all&q=invoice`, agent)),
      "GET /queue/counts": row(await measure("GET", `${base}/queue/counts`, agent)),
      "GET /agents": row(await measure("GET", `${base}/agents`, agent)),
    };
    // Exact, so a new round trip fails here. The target (issue 15) is 1 for create, reply, view
    // and list: when a change lowers a figure, lower it here and in docs/benchmarks.md.
    expect(table).toEqual({
      "GET /config, cold (first request after an admin change)": "200: 1 (read 3, wrote 0) + 0 after",
      "GET /config": "200: 0 (read 0, wrote 0) + 0 after",
      "POST /tickets": "201: 1 (read 9, wrote 22) + 0 after",
      "GET /tickets/{id} (customer)": "200: 1 (read 8, wrote 0) + 0 after",
      "GET /tickets (customer)": "200: 1 (read 1, wrote 0) + 0 after",
      "GET /tickets (agent queue)": "200: 1 (read 1, wrote 0) + 0 after",
      "POST /tickets/{id}/messages (agent)": "201: 1 (read 19, wrote 25) + 0 after",
      "POST /tickets/{id}/messages (customer)": "201: 1 (read 12, wrote 15) + 0 after",
      "POST /tickets/{id}/messages (customer, Idempotency-Key)": "201: 1 (read 10, wrote 15) + 0 after",
      // A replay is rare: its change loses on the key's UNIQUE row (nothing written), then the key
      // is read, then the ticket and the first message (in parallel).
      "POST /tickets/{id}/messages (the same Idempotency-Key again: replayed)": "201: 4 (read 5, wrote 0) + 0 after",
      "PATCH /tickets/{id} (agent)": "200: 2 (read 6, wrote 16) + 0 after",
      "GET /queue, cold staff (the agent's first request in this isolate)": "200: 2 (read 1, wrote 2) + 0 after",
      "GET /queue": "200: 1 (read 1, wrote 0) + 0 after",
      "GET /queue?view=alerts&sort=waiting": "200: 1 (read 2, wrote 0) + 0 after",
      "GET /queue?view=all&q=invoice": "200: 1 (read 1, wrote 0) + 0 after",
      "GET /queue/counts": "200: 1 (read 7, wrote 0) + 0 after",
      "GET /agents": "200: 1 (read 2, wrote 0) + 0 after",
    });
  });

  it("opens a guest's ticket by its key and replies in one round trip each", async () => {
    const desk = await newTenant({ config: { guestsAllowed: true } });
    const filed = await measure("POST", `/api/v1/${desk.id}/tickets`, "", {
      ...billingTicket,
      guest: { name: "Gail Guest", email: "gail@example.org" },
    });
    const { ticket, accessKey } = filed.body as CreateTicketResponse;
    const key = `Key ${accessKey}`;
    const at = `/api/v1/${desk.id}/tickets/${ticket.id}`;
    const guestReply = await measure("POST", `${at}/messages`, key, { body: "Any news?" });
    const view = row(await measure("GET", at, key));
    // One round trip; the rows it reads are 9 or 11 from run to run (the reply's background work
    // may or may not have run by then), so that figure is held to its range, not pinned.
    expect(view).toMatch(/^200: 1 \(read (9|11), wrote 0\) \+ 0 after$/);
    expect({
      "GET /tickets/{id} (guest's key)": view.replace(/read \d+/, "read 9 or 11"),
      "POST /tickets/{id}/messages (guest's key)": row(guestReply),
      "GET /tickets/{id} (a wrong key)": row(await measure("GET", at, `Key ${"x".repeat(43)}`)),
    }).toEqual({
      "GET /tickets/{id} (guest's key)": "200: 1 (read 9 or 11, wrote 0) + 0 after",
      // The key is read before the reply's change: the reply's rate limit counts per guest.
      "POST /tickets/{id}/messages (guest's key)": "201: 2 (read 11, wrote 12) + 0 after",
      // A key that opens nothing: the view's read, then the key's own (401).
      "GET /tickets/{id} (a wrong key)": "401: 2 (read 6, wrote 0) + 0 after",
    });
  });

  it("names the round trips in an Edgedesk-D1 header only when DEBUG_D1_COUNTS is on", async () => {
    const on = await measure("GET", `${base}/tickets`, customer, undefined, { DEBUG_D1_COUNTS: "true" });
    expect(on.status).toBe(200);
    expect(on.headers.get("edgedesk-d1")).toBe(
      `calls=${on.request.calls}; rows-read=${on.request.rowsRead}; rows-written=${on.request.rowsWritten}`,
    );
    // The wait for D1 and the time in the Worker, by the runtime's clock (docs/benchmarks.md).
    expect(on.headers.get("server-timing")).toMatch(/^d1;dur=\d+, d1-sql;dur=\d+\.\d\d, worker;dur=\d+$/);
    const off = await measure("GET", `${base}/tickets`, customer);
    expect(off.status).toBe(200);
    expect(off.headers.has("edgedesk-d1")).toBe(false);
    expect(off.headers.has("server-timing")).toBe(false);
    const healthz = await measure("GET", "/healthz", customer, undefined, { DEBUG_D1_COUNTS: "true" });
    expect(healthz.headers.get("edgedesk-d1")).toBe("calls=0; rows-read=0; rows-written=0");
  });

  it("counts a batch as one round trip and its statements' rows", async () => {
    const counts = noD1Counts();
    const db = countingD1(env.DB, counts);
    const results = await db.batch([
      db.prepare("SELECT id FROM tenants WHERE id = ?1").bind(t.id),
      db.prepare("SELECT 1 AS one"),
    ]);
    expect(results.map((r) => r.results.length)).toEqual([1, 1]);
    expect(await db.prepare("SELECT name FROM tenants WHERE id = ?1").bind(t.id).first("name")).toBe(`Tenant ${t.id}`);
    expect(await db.prepare("SELECT name FROM tenants WHERE id = ?1").bind("no-such").first()).toBeNull();
    expect(counts.calls).toBe(3);
    expect(counts.rowsRead).toBeGreaterThanOrEqual(2);
    expect(counts.rowsWritten).toBe(0);
  });
});
