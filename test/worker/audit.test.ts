import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { AuditListResponse } from "../../worker/schemas/console";
import type { CreateTicketResponse, ReplyResponse } from "../../worker/schemas/ticket";
import { addAgent, staff } from "./console-helpers";
import { api, newTenant, technicalTicket } from "./helpers";

describe("the audit log (docs/console.md)", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const bobClaims = staff("bob", "Bob Agent");
  const bob = await t.token(bobClaims);
  const dana = await t.token(staff("dana", "Dana Agent"));
  const admin = await t.token(staff("ada", "Ada Admin", "admin"));
  await addAgent(t.id, bobClaims);
  const base = `/api/v1/${t.id}`;

  const file = async (sensitive?: string) => {
    const created = await api<CreateTicketResponse>("POST", `${base}/tickets`, {
      token: customer,
      body: { ...technicalTicket, ...(sensitive && { sensitive }) },
    });
    return created.body.ticket.id;
  };
  const list = (query: string, token = admin) =>
    api<AuditListResponse & Problem>("GET", `${base}/audit${query}`, { token });

  // One ticket worked by Bob and Dana: reply, note, a PATCH of every field, a reveal.
  const id = await file("s3cret-value");
  const other = await file();
  const replied = await api<ReplyResponse>("POST", `${base}/tickets/${id}/messages`, {
    token: bob,
    body: { body: "We are on it." },
  });
  const noted = await api<ReplyResponse>("POST", `${base}/tickets/${id}/messages`, {
    token: dana,
    body: { body: "Node 7 again.", internal: true },
  });
  await api("PATCH", `${base}/tickets/${id}`, {
    token: dana,
    body: { status: "in_progress", priority: "high", department: "billing", assignee: "bob", reason: "Escalating" },
  });
  await api("POST", `${base}/tickets/${id}/sensitive/reveal`, { token: bob });
  await api("POST", `${base}/tickets/${other}/messages`, { token: dana, body: { body: "Other ticket." } });
  // The customer's own actions are not staff actions.
  await api("POST", `${base}/tickets/${id}/messages`, { token: customer, body: { body: "Thanks." } });

  it("has a row for each staff action on the ticket, newest first, with from/to and reason", async () => {
    const res = await list(`?ticket=${id}`);
    expect(res.status).toBe(200);
    const entries = [...res.body.entries].reverse();
    // The PATCH's four rows share their time (their order among themselves is by id): compared as a set.
    const patch = entries.slice(2, 6).sort((a, b) => a.action.localeCompare(b.action));
    expect([...entries.slice(0, 2), ...patch, ...entries.slice(6)].map((e) => [e.action, e.actor.id])).toEqual([
      ["reply", "bob"],
      ["note", "dana"],
      ...["assignee", "department", "priority", "status"].map((a) => [a, "dana"]),
      ["reveal", "bob"],
    ]);
    expect(entries[0]?.detail).toEqual({ messageId: replied.body.message.id });
    expect(entries[1]?.detail).toEqual({ messageId: noted.body.message.id });
    expect(patch.map((e) => e.detail)).toEqual([
      { from: null, to: "bob", reason: "Escalating" },
      { from: "technical", to: "billing", reason: "Escalating" },
      { from: "medium", to: "high", reason: "Escalating" },
      { from: "answered", to: "in_progress", reason: "Escalating" },
    ]);
    expect(entries.every((e) => e.ticketId === id)).toBe(true);
    expect(entries[6]?.actor).toEqual({ id: "bob", name: "Bob Agent" });
    // Never a message's text or the secret.
    expect(JSON.stringify(res.body)).not.toMatch(/We are on it|Node 7|s3cret/);
    const times = res.body.entries.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by agent, and by agent and ticket together", async () => {
    const dana = await list("?agent=dana");
    expect(dana.body.entries.every((e) => e.actor.id === "dana")).toBe(true);
    expect(dana.body.entries).toHaveLength(6);
    const both = await list(`?agent=dana&ticket=${other}`);
    expect(both.body.entries.map((e) => e.action)).toEqual(["reply"]);
  });

  it("pages with nextCursor, without repeats or gaps", async () => {
    const all = await list("?limit=100");
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.entries.map((e) => e.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.body.entries.map((e) => e.id));
    expect((await list("?cursor=not-a-cursor")).status).toBe(400);
  });

  it("is for admins: agents get 403, customers 404, another tenant's admin sees nothing of it", async () => {
    const agent = await list("", bob);
    expect(agent.status).toBe(403);
    expect(agent.body.code).toBe("forbidden");
    const own = await list("", customer);
    expect(own.status).toBe(404);
    const elsewhere = await newTenant();
    const theirs = await api<AuditListResponse>("GET", `/api/v1/${elsewhere.id}/audit?ticket=${id}`, {
      token: await elsewhere.token(staff("oz", "Oz Admin", "admin")),
    });
    expect(theirs.status).toBe(200);
    expect(theirs.body.entries).toEqual([]);
  });
});
