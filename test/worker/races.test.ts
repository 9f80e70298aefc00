import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertAlert } from "../../worker/db/alerts";
import { readTenant } from "../../worker/db/tenants";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { uploaderOf } from "../../worker/tickets/access";
import { patchTicket } from "../../worker/tickets/change";
import { addMessage } from "../../worker/tickets/reply";
import { api, count, newTenant, principal, technicalTicket } from "./helpers";

/**
 * The real D1, except that right before each of the first `races` batches someone else changes
 * the ticket (its version moves), so a batch that claims the version it read loses the race;
 * `afterRace` looks at the database right after each such batch.
 */
function racingDb(ticketId: string, races: number, afterRace: () => Promise<void>): D1Database {
  let raced = 0;
  async function batch(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    if (raced >= races) return env.DB.batch(statements);
    raced++;
    await env.DB.prepare("UPDATE tickets SET version = version + 1 WHERE id = ?1").bind(ticketId).run();
    try {
      return await env.DB.batch(statements);
    } finally {
      // A lost batch throws (its guard aborts it): look at what it left either way.
      await afterRace();
    }
  }
  return new Proxy(env.DB, {
    get(db, name) {
      if (name === "batch") return batch;
      const value: unknown = Reflect.get(db, name, db);
      return typeof value === "function" ? value.bind(db) : value;
    },
  });
}

/** A customer's ticket with an alert waiting for someone to act, and the agent who answers it. */
async function ticketWithPendingAlert() {
  const t = await newTenant();
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: await t.token(),
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;
  const alertId = crypto.randomUUID();
  await insertAlert(env.DB, {
    id: alertId,
    tenantId: t.id,
    ticketId,
    trigger: "created",
    triggerKey: `race:${alertId}`,
    priority: "urgent",
    createdAt: Date.now(),
  }).run();
  const tenant = (await readTenant(env.DB, t.id))!;
  const agent = principal(t.id, "bob");
  /** What the agent's reply may have written so far. */
  const written = async () => ({
    alert: (await env.DB.prepare("SELECT state FROM alerts WHERE id = ?1").bind(alertId).first<{ state: string }>())
      ?.state,
    agentMessages: await count("messages", "ticket_id = ?1 AND author_kind = 'agent'", ticketId),
    history: await count("ticket_history", "ticket_id = ?1", ticketId),
    mails: await count("notifications", "ticket_id = ?1 AND kind = 'agent_replied'", ticketId),
  });
  return { tenant, agent, ticketId, written };
}

const nothingWritten = { alert: "pending", agentMessages: 0, history: 1, mails: 0 };

describe("a reply is an append: the ticket changing under it never makes it fail", () => {
  it("writes the reply and all it causes in its first batch, even when the ticket changed just before it", async () => {
    const { tenant, agent, ticketId, written } = await ticketWithPendingAlert();
    const afterRace: Awaited<ReturnType<typeof written>>[] = [];
    const DB = racingDb(ticketId, Number.POSITIVE_INFINITY, async () => void afterRace.push(await written()));

    const { ticket } = await addMessage(
      { ...env, DB },
      tenant,
      agent,
      ticketId,
      { body: "On it.", internal: false },
      Date.now(),
      { source: "web", uploader: uploaderOf(agent) },
    );

    const answered = { alert: "acknowledged", agentMessages: 1, history: 2, mails: 1 };
    expect(afterRace).toEqual([answered]);
    expect(ticket.status).toBe("answered");
    expect(await written()).toEqual(answered);
  });
});

describe("an explicit change that loses its race writes nothing", () => {
  const close = { status: "closed" as const };

  it("writes nothing in the losing batch, then saves the change once on the retry", async () => {
    const { tenant, agent, ticketId, written } = await ticketWithPendingAlert();
    const afterLoss: Awaited<ReturnType<typeof written>>[] = [];
    const DB = racingDb(ticketId, 1, async () => void afterLoss.push(await written()));

    const { ticket } = await patchTicket({ ...env, DB }, tenant, agent, ticketId, close, Date.now());

    expect(afterLoss).toEqual([nothingWritten]);
    expect(ticket.status).toBe("closed");
    expect(await written()).toEqual({ alert: "acknowledged", agentMessages: 0, history: 2, mails: 0 });
  });

  it("retries with a pause, then gives up with 409 conflict when it loses every attempt, having written nothing", async () => {
    const { tenant, agent, ticketId, written } = await ticketWithPendingAlert();
    const afterLoss: Awaited<ReturnType<typeof written>>[] = [];
    const DB = racingDb(ticketId, Number.POSITIVE_INFINITY, async () => void afterLoss.push(await written()));

    await expect(patchTicket({ ...env, DB }, tenant, agent, ticketId, close, Date.now())).rejects.toMatchObject({
      status: 409,
      code: "conflict",
    });

    expect(afterLoss.length).toBeGreaterThan(3);
    for (const seen of afterLoss) expect(seen).toEqual(nothingWritten);
    expect(await written()).toEqual(nothingWritten);
  });
});
