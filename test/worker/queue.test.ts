import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { QueueCounts, QueueRow } from "../../worker/schemas/queue";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, billingTicket, newTenant } from "./helpers";

const HOUR = 3_600_000;
const ALWAYS = [{ open: "00:00", close: "24:00" }];
/** Open around the clock, no holidays: every wait's deadline is its start plus the priority's target. */
const allWeek = {
  hours: { mon: ALWAYS, tue: ALWAYS, wed: ALWAYS, thu: ALWAYS, fri: ALWAYS, sat: ALWAYS, sun: ALWAYS },
  holidays: [],
  guestsAllowed: true,
};
const bobClaims = staff("bob", "Bob Agent");
const carolClaims = { sub: "carol", name: "Carol Jones", email: "carol@jones.example", services: [] };

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

interface Page {
  tickets: QueueRow[];
  nextCursor: string | null;
}

async function setUp() {
  const t = await newTenant({ config: allWeek });
  const alice = await t.token();
  const carol = await t.token(carolClaims);
  const bob = await t.token(bobClaims);
  const base = `/api/v1/${t.id}`;
  const file = async (token: string, subject: string, priority = "medium") => {
    await tick();
    const res = await api<CreateTicketResponse>("POST", `${base}/tickets`, {
      token,
      body: { ...billingTicket, subject, priority },
    });
    expect(res.status).toBe(201);
    return res.body.ticket;
  };
  const queue = (query = "", token = bob) => api<Page>("GET", `${base}/queue${query}`, { token });
  return { t, alice, carol, bob, base, file, queue };
}

/** Puts a ticket in a state directly (what the actions would have left), so each view has its cases. */
async function setState(
  id: string,
  state: { status: string; assignee?: string | null; answeredAt?: number | null; waiting?: boolean },
) {
  await env.DB.prepare(
    `UPDATE tickets SET status = ?2, assignee = ?3, answered_at = ?4,
       waiting_since = CASE WHEN ?5 = 1 THEN waiting_since ELSE NULL END, closed_at = CASE WHEN ?2 = 'closed' THEN ?6 END
     WHERE id = ?1`,
  )
    .bind(
      id,
      state.status,
      state.assignee ?? null,
      state.answeredAt ?? null,
      state.waiting === false ? 0 : 1,
      Date.now(),
    )
    .run();
}

async function addAlert(tenantId: string, ticketId: string, state: string) {
  await env.DB.prepare(
    `INSERT INTO alerts (id, tenant_id, ticket_id, trigger, trigger_key, priority, state, suppressed_reason, next_attempt_at, created_at)
     VALUES (?1, ?2, ?3, 'raised', ?1, 'urgent', ?4, ?5, 0, 0)`,
  )
    .bind(crypto.randomUUID(), tenantId, ticketId, state, state === "suppressed" ? "guest" : null)
    .run();
}

describe("the console's saved views", async () => {
  const { t, alice, carol, bob, file, queue, base } = await setUp();
  const now = Date.now();
  const open = await file(alice, "Mail stopped");
  const inProgress = await file(alice, "Backup restore");
  const answered = await file(carol, "Invoice twice");
  const closingSoon = await file(carol, "DNS question");
  const onHold = await file(alice, "Migration plan");
  const closed = await file(alice, "Old issue");
  const urgent = await file(alice, "Site down", "urgent");
  const pendingAlert = await file(alice, "Pager pending");
  const ackedAlert = await file(alice, "Pager acknowledged");
  const closedAlert = await file(alice, "Pager closed");
  const suppressedAlert = await file(alice, "Pager suppressed");
  await setState(inProgress.id, { status: "in_progress", assignee: "bob" });
  await setState(answered.id, { status: "answered", answeredAt: now - HOUR, waiting: false });
  await setState(closingSoon.id, { status: "answered", answeredAt: now - 60 * HOUR, waiting: false });
  await setState(onHold.id, { status: "on_hold", assignee: "dana" });
  await setState(closed.id, { status: "closed", assignee: "bob", waiting: false });
  await setState(closedAlert.id, { status: "closed", waiting: false });
  await addAlert(t.id, pendingAlert.id, "pending");
  await addAlert(t.id, ackedAlert.id, "acknowledged");
  await addAlert(t.id, closedAlert.id, "acknowledged");
  await addAlert(t.id, suppressedAlert.id, "suppressed");
  await addAlert(t.id, suppressedAlert.id, "exhausted");

  const subjectsOf = (page: Page) => page.tickets.map((x) => x.subject).sort();
  const expected: Record<keyof QueueCounts, string[]> = {
    mine: ["Backup restore"],
    unassigned: [
      "Mail stopped",
      "Invoice twice",
      "DNS question",
      "Site down",
      "Pager pending",
      "Pager acknowledged",
      "Pager suppressed",
    ],
    open: ["Mail stopped", "Backup restore", "Site down", "Pager pending", "Pager acknowledged", "Pager suppressed"],
    waiting: ["Invoice twice", "DNS question"],
    on_hold: ["Migration plan"],
    emergencies: ["Site down"],
    alerts: ["Pager pending", "Pager acknowledged"],
    closing_soon: ["DNS question"],
    all: [
      "Mail stopped",
      "Backup restore",
      "Invoice twice",
      "DNS question",
      "Migration plan",
      "Old issue",
      "Site down",
      "Pager pending",
      "Pager acknowledged",
      "Pager closed",
      "Pager suppressed",
    ],
  };

  it("returns exactly each view's tickets, in either sort", async () => {
    for (const [view, subjects] of Object.entries(expected)) {
      for (const sort of ["activity", "waiting"]) {
        const res = await queue(`?view=${view}&sort=${sort}&limit=100`);
        expect(res.status, `${view} ${sort}`).toBe(200);
        expect(subjectsOf(res.body), `${view} sorted by ${sort}`).toEqual([...subjects].sort());
      }
    }
  });

  it("counts what each view lists", async () => {
    const res = await api<{ counts: QueueCounts; cap: number }>("GET", `${base}/queue/counts`, { token: bob });
    expect(res.status).toBe(200);
    // Every view here is below the cap, so every count is exact.
    expect(res.body.cap).toBe(1000);
    expect(res.body.counts).toEqual(Object.fromEntries(Object.entries(expected).map(([v, s]) => [v, s.length])));
  });

  it("defaults to the open view, newest activity first, with the console's columns", async () => {
    const res = await queue();
    expect(subjectsOf(res.body)).toEqual([...expected.open].sort());
    const times = res.body.tickets.map((x) => x.lastActivityAt);
    expect(times).toEqual([...times].sort().reverse());
    const row = res.body.tickets.find((x) => x.id === inProgress.id);
    expect(row).toMatchObject({ assignee: "bob", requester: { name: "Alice Customer" } });
    // Bob has made requests, so the directory knows his name.
    expect(row?.assigneeName).toBe("Bob Agent");
    expect(res.body.tickets.find((x) => x.id === open.id)?.assigneeName).toBeNull();
  });

  it("finds tickets by number, subject words, requester name and email", async () => {
    const search = async (q: string) => subjectsOf((await queue(`?view=all&q=${encodeURIComponent(q)}`)).body);
    expect(await search(String(urgent.number))).toEqual(["Site down"]);
    expect(await search(`#${urgent.number}`)).toEqual(["Site down"]);
    expect(await search("pager ACK")).toEqual(["Pager acknowledged"]);
    expect(await search("Jones")).toEqual(["DNS question", "Invoice twice"]);
    expect(await search("carol@jones")).toEqual(["DNS question", "Invoice twice"]);
    expect(await search("nothing like this")).toEqual([]);
    // Search narrows a view; it never widens it.
    expect(subjectsOf((await queue("?view=waiting&q=DNS")).body)).toEqual(["DNS question"]);
    expect(subjectsOf((await queue("?view=open&q=Jones")).body)).toEqual([]);
  });

  it("lists a customer's other tickets", async () => {
    const res = await queue(`?view=all&requester=${answered.requester.id}`);
    expect(subjectsOf(res.body)).toEqual(["DNS question", "Invoice twice"]);
    const open = await queue(`?view=waiting&requester=${answered.requester.id}&q=invoice`);
    expect(subjectsOf(open.body)).toEqual(["Invoice twice"]);
  });

  it("pages through every view once, without duplicates, in both sorts", async () => {
    for (const view of ["all", "unassigned", "open"] as const) {
      for (const sort of ["activity", "waiting"]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: { status: number; body: Page } = await queue(
            `?view=${view}&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          );
          expect(res.status).toBe(200);
          seen.push(...res.body.tickets.map((x) => x.subject));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(seen.length, `${view} by ${sort}`).toBe(new Set(seen).size);
        expect([...seen].sort()).toEqual([...expected[view]].sort());
      }
    }
  });

  it("refuses a cursor it did not give out, or one of the other sort", async () => {
    const first = await queue("?view=all&limit=2");
    const bad = await queue("?view=all&cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "validation_failed", errors: [{ path: "cursor" }] });
    const other = await queue(`?view=all&sort=waiting&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect((await queue("?view=everything")).status).toBe(400);
  });

  it("is not there for customers and guests (404)", async () => {
    const guest = await api<CreateTicketResponse & { accessKey: string }>("POST", `${base}/tickets`, {
      body: { ...billingTicket, guest: { name: "Gus Guest", email: "gus@example.com" } },
    });
    expect(guest.status).toBe(201);
    for (const path of ["/queue", "/queue/counts", "/agents"]) {
      const asCustomer = await api("GET", `${base}${path}`, { token: carol });
      expect(asCustomer.status, `${path} as a customer`).toBe(404);
      const asGuest = await api("GET", `${base}${path}`, { key: guest.body.accessKey });
      expect(asGuest.status, `${path} as a guest`).toBe(404);
    }
  });
});

describe("waiting time and the expected-response deadline", async () => {
  const { alice, carol, bob, file, queue, base } = await setUp();
  const reply = async (token: string, id: string, body: object) => {
    await tick();
    const res = await api("POST", `${base}/tickets/${id}/messages`, { token, body });
    expect(res.status).toBe(201);
  };
  const order = async () => (await queue("?view=all&sort=waiting")).body.tickets;

  it("starts at filing, with the priority's target as the deadline during hours", async () => {
    const x = await file(alice, "Waiting one");
    const row = (await order()).find((r) => r.id === x.id);
    expect(row?.waitingSince).toBe(x.createdAt);
    // medium: 8 hours (the default responseTargetHours).
    expect(Date.parse(row?.respondBy ?? "")).toBe(Date.parse(x.createdAt) + 8 * HOUR);
    const y = await file(alice, "Urgent one", "urgent");
    const urgentRow = (await order()).find((r) => r.id === y.id);
    expect(Date.parse(urgentRow?.respondBy ?? "")).toBe(Date.parse(y.createdAt) + 1 * HOUR);
  });

  it("puts the oldest unanswered customer message first; a staff answer ends the wait, a note does not", async () => {
    const first = await file(alice, "First filed");
    const second = await file(carol, "Second filed");
    const third = await file(alice, "Third filed");
    const mine = (rows: QueueRow[]) => rows.filter((r) => [first.id, second.id, third.id].includes(r.id));

    expect(mine(await order()).map((r) => r.subject)).toEqual(["First filed", "Second filed", "Third filed"]);

    // A staff answer: the first is no longer waiting and goes after every waiting ticket.
    await reply(bob, first.id, { body: "Looking at it now." });
    // An internal note and a customer's further message change nothing of the second's wait.
    await reply(bob, second.id, { body: "Checking with billing.", internal: true });
    await reply(carol, second.id, { body: "Any news?" });
    let rows = mine(await order());
    expect(rows.map((r) => r.subject)).toEqual(["Second filed", "Third filed", "First filed"]);
    expect(rows.find((r) => r.id === first.id)).toMatchObject({ waitingSince: null, respondBy: null });
    expect(rows.find((r) => r.id === second.id)?.waitingSince).toBe(second.createdAt);

    // The customer writes again: the first waits from that message, the newest wait.
    await reply(alice, first.id, { body: "It is still down." });
    rows = mine(await order());
    expect(rows.map((r) => r.subject)).toEqual(["Second filed", "Third filed", "First filed"]);
    const again = rows.find((r) => r.id === first.id);
    expect(again?.waitingSince).not.toBeNull();
    expect(Date.parse(again?.waitingSince ?? "")).toBeGreaterThan(Date.parse(third.createdAt));

    // Closing a waiting ticket ends its wait too.
    const closed = await api("PATCH", `${base}/tickets/${second.id}`, { token: bob, body: { status: "closed" } });
    expect(closed.status).toBe(200);
    rows = mine(await order());
    expect(rows.map((r) => r.subject)).toEqual(["Third filed", "First filed", "Second filed"]);
    expect(rows.find((r) => r.id === second.id)).toMatchObject({ waitingSince: null, respondBy: null });
  });
});
