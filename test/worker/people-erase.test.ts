import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { OPERATOR } from "../../worker/auth/data-admin";
import { erasureObjects, erasurePage } from "../../worker/db/people";
import type { Problem } from "../../worker/errors";
import { erasePerson } from "../../worker/people/erase";
import type { EscalateResponse } from "../../worker/schemas/escalation";
import type { ErasureView } from "../../worker/schemas/people";
import type { CreateTicketResponse, TicketDetailResponse, TicketListResponse } from "../../worker/schemas/ticket";
import { auditRows } from "./console-helpers";
import { ADMIN, api, billingTicket, count, newTenant, technicalTicket } from "./helpers";
import { everyObject, everyText, personWithData } from "./people-helpers";

const erasePath = (tenantId: string, email: string) => `/api/v1/${tenantId}/people/${encodeURIComponent(email)}`;

/** Where the person's email, name or words are still found, in D1 or R2. */
async function traces(needles: string[]): Promise<string[]> {
  const lower = needles.map((n) => n.toLowerCase());
  const rows = (await everyText()).filter((r) => lower.some((n) => r.value.toLowerCase().includes(n)));
  const objects = (await everyObject()).filter((o) => lower.some((n) => o.text.toLowerCase().includes(n)));
  return [...rows.map((r) => `${r.where}: ${r.value.slice(0, 80)}`), ...objects.map((o) => `R2 ${o.key}`)];
}

/** Every R2 object of the tenant has a row, and every row's object exists: nothing orphaned either way. */
async function orphans(tenantId: string): Promise<string[]> {
  const keys = new Set((await env.FILES.list({ prefix: `${tenantId}/` })).objects.map((o) => o.key));
  const { results } = await env.DB.prepare(
    `SELECT r2_key AS key FROM attachments WHERE tenant_id = ?1
     UNION SELECT raw_key FROM messages WHERE tenant_id = ?1 AND raw_key IS NOT NULL
     UNION SELECT raw_key FROM inbound_mail WHERE tenant_id = ?1 AND raw_key IS NOT NULL`,
  )
    .bind(tenantId)
    .all<{ key: string }>();
  const rows = new Set(results.map((r) => r.key));
  return [
    ...[...keys].filter((k) => !rows.has(k)).map((k) => `object without row: ${k}`),
    ...[...rows].filter((k) => !keys.has(k)).map((k) => `row without object: ${k}`),
  ];
}

describe("erasing one person", () => {
  it("leaves no trace of their email, name or words in any table or object, and nothing of anyone else changes", async () => {
    const s = await personWithData();
    const needles = [s.person.email, s.person.name, s.phrase];
    expect((await traces(needles)).length).toBeGreaterThan(10);
    const benBefore = await api<TicketDetailResponse>("GET", `/api/v1/${s.t.id}/tickets/${s.benTicket.id}`, {
      token: s.tokens.ben,
    });
    const bystanderBefore = await traces([s.bystander.email, s.bystanderPhrase]);

    const res = await api<ErasureView>("DELETE", erasePath(s.t.id, s.person.email.toUpperCase()), {
      token: s.tokens.admin,
    });
    expect(res.status).toBe(200);
    // Two tickets; files: two uploads, two mail attachments, two mail originals.
    expect(res.body).toEqual({ erased: { tickets: 2, files: 6 }, done: true });

    expect(await traces(needles)).toEqual([]);
    expect(await orphans(s.t.id)).toEqual([]);

    // The tickets stay, as the staff see them: numbers and statuses, the text erased, staff names kept.
    const agentView = await api<TicketDetailResponse>("GET", `/api/v1/${s.t.id}/tickets/${s.ticket.id}`, {
      token: s.tokens.agent,
    });
    expect(agentView.body.ticket).toMatchObject({ number: s.ticket.number, subject: "[erased]" });
    expect(new Set(agentView.body.ticket.messages.map((m) => m.body))).toEqual(new Set(["[erased]"]));
    expect(agentView.body.ticket.messages.map((m) => m.author.name)).toEqual([
      "[erased]",
      "Agnes Agent",
      "Agnes Agent",
      "[erased]",
    ]);
    expect(agentView.body.ticket.messages.flatMap((m) => m.attachments)).toEqual([]);
    // Their vote still counts for the staff reply, linked to no one.
    expect(agentView.body.ticket.messages[1]).toMatchObject({ feedback: { helpful: 1 } });
    // Their panel account no longer reaches the tickets.
    const theirList = await api<TicketListResponse>("GET", `/api/v1/${s.t.id}/tickets`, { token: s.tokens.zoe });
    expect(theirList.body.tickets).toEqual([]);

    // The bystander: the same ticket, the same data, the same files.
    const benAfter = await api<TicketDetailResponse>("GET", `/api/v1/${s.t.id}/tickets/${s.benTicket.id}`, {
      token: s.tokens.ben,
    });
    expect(benAfter.body).toEqual(benBefore.body);
    expect(await traces([s.bystander.email, s.bystanderPhrase])).toEqual(bystanderBefore);

    // A staff reply on an erased ticket mails no one.
    await api("POST", `/api/v1/${s.t.id}/tickets/${s.ticket.id}/messages`, {
      token: s.tokens.agent,
      body: { body: "Anything else we can do?" },
    });
    const notice = await env.DB.prepare("SELECT outcome, last_error FROM notifications WHERE ticket_id = ?1")
      .bind(s.ticket.id)
      .first<{ outcome: string; last_error: string }>();
    expect(notice).toEqual({ outcome: "skipped", last_error: "the requester's data was erased" });
    expect(
      await count("outbox", "notification_id IN (SELECT id FROM notifications WHERE ticket_id = ?1)", s.ticket.id),
    ).toBe(0);

    // The audit entry keeps counts, no personal data (the scan above covers audit_log too).
    expect(await auditRows(s.t.id, "action = 'people.erase'")).toEqual([
      {
        action: "people.erase",
        actor_id: expect.stringMatching(/^admin-/),
        ticket_id: null,
        detail: JSON.stringify({ tickets: 2, files: 6, done: true }),
      },
    ]);
  });

  it("is idempotent: erasing again finds nothing and changes nothing", async () => {
    const s = await personWithData();
    expect((await api("DELETE", erasePath(s.t.id, s.person.email), { headers: ADMIN })).status).toBe(200);
    const before = await everyText();
    const again = await api<ErasureView>("DELETE", erasePath(s.t.id, s.person.email), { headers: ADMIN });
    expect(again.body).toEqual({ erased: { tickets: 0, files: 0 }, done: true });
    const after = (await everyText()).filter((r) => !r.where.startsWith("audit_log."));
    expect(after).toEqual(before.filter((r) => !r.where.startsWith("audit_log.")));
    expect((await auditRows(s.t.id, "action = 'people.erase'")).map((r) => r.actor_id)).toEqual([
      "operator",
      "operator",
    ]);
  });

  it("finishes an erasure that stopped after deleting from R2 and before D1, leaving nothing orphaned", async () => {
    const s = await personWithData();
    // The state a crash between the two leaves: the objects gone, every row still there.
    const page = await erasurePage(env.DB, s.t.id, s.person.email, 20);
    const keys = await erasureObjects(env.DB, page);
    expect(keys).toHaveLength(6);
    await env.FILES.delete(keys);
    expect(await count("tickets", "tenant_id = ?1 AND requester_name = ?2", s.t.id, s.person.name)).toBe(2);

    const res = await api<ErasureView>("DELETE", erasePath(s.t.id, s.person.email), { token: s.tokens.admin });
    expect(res.body).toMatchObject({ erased: { tickets: 2 }, done: true });
    expect(await traces([s.person.email, s.person.name, s.phrase])).toEqual([]);
    expect(await orphans(s.t.id)).toEqual([]);
  });

  it("erases a person with many tickets in bounded changes, and says when to call again", async () => {
    const s = await personWithData();
    for (let i = 0; i < 4; i++)
      await api<CreateTicketResponse>("POST", `/api/v1/${s.t.id}/tickets`, {
        token: s.tokens.zoe,
        body: { ...billingTicket, message: `more about ${s.phrase} (${i})` },
      });
    // Six tickets, pages of two, two pages a call: three changes over two calls.
    const first = await erasePerson(env, s.t.id, s.person.email, OPERATOR, Date.now(), { pageSize: 2, pages: 2 });
    expect(first).toMatchObject({ tickets: 4, done: false });
    expect(await count("tickets", "tenant_id = ?1 AND requester_name = ?2", s.t.id, s.person.name)).toBe(2);
    const second = await erasePerson(env, s.t.id, s.person.email, OPERATOR, Date.now(), { pageSize: 2, pages: 2 });
    expect(second).toMatchObject({ tickets: 2, done: true });
    expect(await traces([s.person.email, s.person.name, s.phrase])).toEqual([]);
  });

  it("erases the provider's copy of a ticket the reseller escalated, keeping the reseller as its requester", async () => {
    const provider = await newTenant({ name: "Northwind Hosting" });
    const reseller = await newTenant({ parentId: provider.id, name: "Bluebird Web" });
    const unique = crypto.randomUUID().slice(0, 8);
    const person = { email: `erin.${unique}@customer.example`, name: `Erin Endcustomer-${unique}` };
    const phrase = `wombat-${unique}-teapot`;
    const erin = await reseller.token({ sub: `erin-${unique}`, email: person.email, name: person.name });
    const dana = await reseller.token({ sub: "dana", email: "dana@bluebird.example", name: "Dana", role: "agent" });
    const bob = await provider.token({ sub: "bob", email: "bob@northwind.example", name: "Bob", role: "agent" });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${reseller.id}/tickets`, {
      token: erin,
      body: { ...technicalTicket, subject: `Server ${phrase}`, message: `Help with ${phrase}` },
    });
    const escalated = await api<EscalateResponse>(
      "POST",
      `/api/v1/${reseller.id}/tickets/${filed.body.ticket.id}/escalate`,
      {
        token: dana,
        body: { note: `The customer says ${phrase}.`, includeCustomer: true },
      },
    );
    expect(escalated.status).toBe(201);
    const copy = escalated.body.escalation.ticketId;
    await api("POST", `/api/v1/${provider.id}/tickets/${copy}/messages`, {
      token: bob,
      body: { body: `Fixed ${phrase}.` },
    });
    expect((await traces([person.email, person.name, phrase])).length).toBeGreaterThan(0);

    const res = await api<ErasureView>("DELETE", erasePath(reseller.id, person.email), { headers: ADMIN });
    expect(res.body).toMatchObject({ erased: { tickets: 1 }, done: true });
    expect(await traces([person.email, person.name, phrase])).toEqual([]);
    const providerView = await api<TicketDetailResponse>("GET", `/api/v1/${provider.id}/tickets/${copy}`, {
      token: bob,
    });
    expect(providerView.body.ticket).toMatchObject({ subject: "[erased]", requester: { name: "Bluebird Web" } });
  });

  it("erases nothing for an agent (403), a customer (404) or a bad address (problem+json)", async () => {
    const s = await personWithData();
    const before = await everyText();
    expect((await api("DELETE", erasePath(s.t.id, s.person.email), { token: s.tokens.agent })).status).toBe(403);
    expect((await api("DELETE", erasePath(s.t.id, s.person.email), { token: s.tokens.zoe })).status).toBe(404);
    expect((await api("DELETE", erasePath(s.t.id, s.person.email))).status).toBe(401);
    const bad = await api<Problem>("DELETE", erasePath(s.t.id, "zoe at example"), { token: s.tokens.admin });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([{ path: "email", message: "must be an email address" }]);
    expect(await everyText()).toEqual(before);
  });
});
