/**
 * A change planned without reading its ticket (worker/db/facts.ts): the plan answers for every
 * combination of the ticket's facts, and SQL picks the ticket's own answer.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { byFacts, FACTS_ANSWER, type TicketFacts } from "../../../worker/db/facts";
import { upsertTenant } from "../../../worker/db/tenants";
import { appendToTicket, insertTicket, readTicket, type Ticket } from "../../../worker/db/tickets";
import { TenantInput } from "../../../worker/schemas/tenant";

const db = env.DB;
const NOW = Date.UTC(2030, 0, 7, 12);

async function newTenantId(): Promise<string> {
  const id = `f${crypto.randomUUID().slice(0, 12)}`;
  await upsertTenant(db, id, TenantInput.parse({ name: "Facts" }), NOW);
  return id;
}

async function ticketWith(tenantId: string, facts: TicketFacts): Promise<Ticket> {
  const ticket: Ticket = {
    id: crypto.randomUUID(),
    tenantId,
    number: Math.floor(Math.random() * 1e9),
    subject: "Mail stopped",
    status: "answered",
    priority: facts.priority,
    department: "technical",
    serviceId: facts.serviceId,
    serviceLabel: null,
    fields: {},
    requesterKind: facts.requesterKind,
    requesterId: "alice",
    requesterEmail: "alice@example.com",
    requesterName: "Alice",
    guestKeyHash: null,
    assignee: null,
    sensitive: null,
    createdAt: NOW,
    updatedAt: NOW,
    lastActivityAt: NOW,
    answeredAt: NOW,
    closedAt: null,
    version: 1,
    waitingSince: null,
    respondBy: null,
  };
  await insertTicket(db, ticket).run();
  return ticket;
}

/** A distinct answer per combination, naming it. */
const named = (f: TicketFacts) => `${f.priority}/${f.requesterKind}/${f.serviceId === null ? "none" : "service"}`;

describe("facts tables (db/facts.ts)", () => {
  it("gives each ticket the answer for its own priority, requester kind and service", async () => {
    const tenantId = await newTenantId();
    const cases: TicketFacts[] = [
      { priority: "urgent", requesterKind: "guest", serviceId: null },
      { priority: "urgent", requesterKind: "user", serviceId: "svc-1" },
      { priority: "low", requesterKind: "user", serviceId: null },
      { priority: "information", requesterKind: "guest", serviceId: "svc-2" },
    ];
    const table = byFacts(named);
    for (const facts of cases) {
      const t = await ticketWith(tenantId, facts);
      const answer = await db
        .prepare(`SELECT ${FACTS_ANSWER("?1")} AS answer FROM tickets t WHERE t.id = ?2`)
        .bind(table, t.id)
        .first<{ answer: string }>();
      expect(answer?.answer).toBe(named(facts));
    }
  });

  it("puts a customer's respond-by for the ticket's facts when its wait starts (appendToTicket)", async () => {
    const tenantId = await newTenantId();
    const t = await ticketWith(tenantId, { priority: "high", requesterKind: "user", serviceId: null });
    const deadlines = byFacts((f) => (f.priority === "high" && f.serviceId === null ? NOW + 4 * 3_600_000 : null));
    await appendToTicket(db, {
      tenantId,
      ticketId: t.id,
      status: "open",
      visible: true,
      now: NOW,
      waiting: { respondBy: deadlines },
    }).run();
    const after = await readTicket(db, tenantId, t.id);
    expect([after?.waitingSince, after?.respondBy]).toEqual([NOW, NOW + 4 * 3_600_000]);
  });
});
