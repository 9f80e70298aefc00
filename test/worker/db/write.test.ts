/**
 * The write idiom (worker/db/write.ts) against real D1: a change is written whole or not at all,
 * whatever the order of its steps, and says which.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acknowledgeTicketAlerts, insertAlert } from "../../../worker/db/alerts";
import { closeStillAnswered } from "../../../worker/db/answered";
import { attachUpload, insertUploading, markReady } from "../../../worker/db/attachments";
import { type HistoryEntry, insertHistory } from "../../../worker/db/history";
import { insertMessage, type Message } from "../../../worker/db/messages";
import { insertNotification } from "../../../worker/db/notifications";
import { uniqueViolation } from "../../../worker/db/sql";
import { upsertTenant } from "../../../worker/db/tenants";
import { insertTicket, readTicket, type Ticket, updateTicketIfUnchanged } from "../../../worker/db/tickets";
import { claim, type Step, writeChange } from "../../../worker/db/write";
import { countingD1, noD1Counts } from "../../../worker/middleware/d1-counts";
import { TenantInput } from "../../../worker/schemas/tenant";
import { count } from "../helpers";

const db = env.DB;
const NOW = Date.UTC(2030, 0, 7, 12);

async function newTenantId(): Promise<string> {
  const id = `w${crypto.randomUUID().slice(0, 12)}`;
  await upsertTenant(db, id, TenantInput.parse({ name: "Write idiom" }), NOW);
  return id;
}

let numbers = 0;
/** A stored ticket, in a new tenant unless `overrides` names one. */
async function newTicket(overrides: Partial<Ticket> = {}): Promise<Ticket> {
  const tenantId = overrides.tenantId ?? (await newTenantId());
  const id = crypto.randomUUID();
  const ticket: Ticket = {
    id,
    tenantId,
    number: 10_000_000 + numbers++,
    subject: "Mail stopped",
    status: "open",
    priority: "high",
    department: "technical",
    serviceId: null,
    serviceLabel: null,
    fields: {},
    requesterKind: "user",
    requesterId: "alice",
    requesterEmail: "alice@example.com",
    requesterName: "Alice",
    guestKeyHash: null,
    assignee: null,
    sensitive: null,
    createdAt: NOW,
    updatedAt: NOW,
    lastActivityAt: NOW,
    answeredAt: null,
    closedAt: null,
    version: 1,
    waitingSince: NOW,
    respondBy: null,
    ...overrides,
  };
  await insertTicket(db, ticket).run();
  return ticket;
}

function message(ticket: Ticket, id = crypto.randomUUID()): Message {
  return {
    id,
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    authorKind: "agent",
    authorId: "bob",
    authorName: "Bob",
    body: "On it.",
    internal: false,
    source: "web",
    createdAt: NOW,
  };
}

function history(ticket: Ticket): HistoryEntry {
  return {
    id: crypto.randomUUID(),
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    field: "status",
    from: "open",
    to: "answered",
    actorKind: "agent",
    actorId: "bob",
    actorName: "Bob",
    reason: "Staff replied",
    createdAt: NOW,
  };
}

/** A pending alert on the ticket, as a change from before would have left it. */
async function pendingAlert(ticket: Ticket): Promise<string> {
  const id = crypto.randomUUID();
  await insertAlert(db, {
    id,
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    trigger: "created",
    triggerKey: `created:${id}`,
    priority: "urgent",
    createdAt: NOW,
  }).run();
  return id;
}

async function alertState(id: string): Promise<string | undefined> {
  return (await db.prepare("SELECT state FROM alerts WHERE id = ?1").bind(id).first<{ state: string }>())?.state;
}

/** What an agent's answer writes, with the claim on the version `read` said the ticket was at. */
function answer(ticket: Ticket, read: number, m: Message, h: HistoryEntry) {
  return {
    claim: claim(updateTicketIfUnchanged(db, { ...ticket, status: "answered", answeredAt: NOW, version: read + 1 })),
    rows: [insertMessage(db, m), insertHistory(db, h), acknowledgeTicketAlerts(db, ticket.id, "Bob", NOW)],
  };
}

/** Every place the claim can take among the rows. */
function orders(change: { claim: Step; rows: Step[] }): Step[][] {
  return change.rows
    .map((_, i) => [...change.rows.slice(0, i), change.claim, ...change.rows.slice(i)])
    .concat([[...change.rows, change.claim]]);
}

describe("a change whose claim wins", () => {
  it("writes every step and answers written, with one result per step in order", async () => {
    const ticket = await newTicket();
    const alertId = await pendingAlert(ticket);
    const m = message(ticket);
    const h = history(ticket);
    const change = answer(ticket, ticket.version, m, h);
    const outcome = await writeChange(db, [change.claim, ...change.rows]);
    expect(outcome.outcome).toBe("written");
    if (outcome.outcome !== "written") return;
    expect(outcome.results.map((r) => r.meta.changes)).toEqual([1, 1, 1, 1]);
    expect((await readTicket(db, ticket.tenantId, ticket.id))?.status).toBe("answered");
    expect(await count("messages", "id = ?1", m.id)).toBe(1);
    expect(await count("ticket_history", "id = ?1", h.id)).toBe(1);
    expect(await alertState(alertId)).toBe("acknowledged");
  });

  it("is not lost because a unique-key dedupe after the claim wrote nothing", async () => {
    const ticket = await newTicket();
    const notice = (id: string) =>
      insertNotification(db, {
        id,
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        kind: "agent_replied",
        recipient: "alice@example.com",
        dedupeKey: "once",
        payload: {},
        createdAt: NOW,
      });
    await notice(crypto.randomUUID()).run();
    const m = message(ticket);
    const outcome = await writeChange(db, [
      claim(updateTicketIfUnchanged(db, { ...ticket, version: 2 })),
      notice(crypto.randomUUID()),
      insertMessage(db, m),
    ]);
    expect(outcome.outcome).toBe("written");
    expect(await count("notifications", "tenant_id = ?1", ticket.tenantId)).toBe(1);
    expect(await count("messages", "id = ?1", m.id)).toBe(1);
  });

  it("with no claim at all is always written", async () => {
    const ticket = await newTicket();
    const { results } = await writeChange(db, [insertMessage(db, message(ticket)), insertMessage(db, message(ticket))]);
    expect(results.map((r) => r.meta.changes)).toEqual([1, 1]);
  });

  it("answers a read at its end with the rows as the change left them, in the same round trip", async () => {
    const ticket = await newTicket();
    const m = message(ticket);
    const counts = noD1Counts();
    const counted = countingD1(db, counts);
    const messagesOf = counted.prepare("SELECT id FROM messages WHERE ticket_id = ?1").bind(ticket.id);
    const outcome = await writeChange(counted, [
      claim(updateTicketIfUnchanged(counted, { ...ticket, version: 2 })),
      insertMessage(counted, m),
      messagesOf,
    ]);
    expect(counts.calls).toBe(1);
    expect(outcome.outcome).toBe("written");
    if (outcome.outcome !== "written") return;
    expect(outcome.results[2]?.results).toEqual([{ id: m.id }]);
    // Lost, the change reads nothing either.
    expect(
      await writeChange(counted, [claim(updateTicketIfUnchanged(counted, { ...ticket, version: 2 })), messagesOf]),
    ).toEqual({
      outcome: "lost",
    });
  });
});

describe("a change whose claim loses", () => {
  it("writes nothing at all and answers lost, wherever the claim sits among the rows", async () => {
    const ticket = await newTicket();
    const alertId = await pendingAlert(ticket);
    // Someone else's write moved the ticket on: a change planned on version 1 has lost.
    await updateTicketIfUnchanged(db, { ...ticket, priority: "urgent", version: 2 }).run();
    const planned = answer(ticket, 1, message(ticket), history(ticket));
    for (const steps of orders(planned)) {
      expect(await writeChange(db, steps)).toEqual({ outcome: "lost" });
    }
    expect(await readTicket(db, ticket.tenantId, ticket.id)).toMatchObject({
      status: "open",
      priority: "urgent",
      version: 2,
    });
    expect(await count("messages", "ticket_id = ?1", ticket.id)).toBe(0);
    expect(await count("ticket_history", "ticket_id = ?1", ticket.id)).toBe(0);
    expect(await alertState(alertId)).toBe("pending");
  });

  it("is lost even when the statement just before its claim changed a row", async () => {
    const ticket = await newTicket({ version: 3 });
    const m = message(ticket);
    expect(
      await writeChange(db, [insertMessage(db, m), claim(updateTicketIfUnchanged(db, { ...ticket, version: 3 }))]),
    ).toEqual({ outcome: "lost" });
    expect(await count("messages", "id = ?1", m.id)).toBe(0);
  });

  it("takes every other claim back with it: an upload taken meanwhile undoes the ticket's update", async () => {
    const ticket = await newTicket();
    const upload = crypto.randomUUID();
    await insertUploading(db, {
      id: upload,
      tenantId: ticket.tenantId,
      uploader: "user:alice",
      forTicketId: null,
      r2Key: `${ticket.tenantId}/new/${upload}`,
      name: "a.png",
      contentType: "image/png",
      createdAt: NOW,
    }).run();
    await markReady(db, upload, 10, "00").run();
    const first = message(ticket);
    const attach = (m: Message) =>
      attachUpload(db, {
        id: upload,
        tenantId: ticket.tenantId,
        uploader: "user:alice",
        ticketId: ticket.id,
        messageId: m.id,
        now: NOW,
      });
    expect(
      (
        await writeChange(db, [
          claim(updateTicketIfUnchanged(db, { ...ticket, version: 2 })),
          insertMessage(db, first),
          attach(first),
        ])
      ).outcome,
    ).toBe("written");

    const second = message(ticket);
    const read = (await readTicket(db, ticket.tenantId, ticket.id))!;
    const lost = await writeChange(db, [
      claim(updateTicketIfUnchanged(db, { ...read, status: "answered", version: read.version + 1 })),
      insertMessage(db, second),
      attach(second),
    ]);
    expect(lost).toEqual({ outcome: "lost" });
    expect((await readTicket(db, ticket.tenantId, ticket.id))?.status).toBe("open");
    expect(await count("messages", "id = ?1", second.id)).toBe(0);
    expect(await count("attachments", "id = ?1 AND message_id = ?2", upload, first.id)).toBe(1);
  });

  it("counts every row a claim of many must change: one ticket of a page changed means none is closed", async () => {
    const answeredAt = NOW - 100 * 3_600_000;
    const a = await newTicket({ status: "answered", answeredAt });
    const b = await newTicket({ status: "answered", answeredAt, tenantId: a.tenantId });
    // A reply re-opened the second ticket after the sweep read the page.
    await updateTicketIfUnchanged(db, { ...b, status: "open", version: 2 }).run();
    const page = [a, b].map((t) => ({
      id: t.id,
      number: t.number,
      subject: t.subject,
      requesterEmail: t.requesterEmail,
      answeredAt,
    }));
    const h = history(a);
    expect(await writeChange(db, [closeStillAnswered(db, a.tenantId, page, NOW), insertHistory(db, h)])).toEqual({
      outcome: "lost",
    });
    expect((await readTicket(db, a.tenantId, a.id))?.status).toBe("answered");
    expect(await count("ticket_history", "id = ?1", h.id)).toBe(0);
    // Read again without it, the page closes.
    expect(
      (await writeChange(db, [closeStillAnswered(db, a.tenantId, page.slice(0, 1), NOW), insertHistory(db, h)]))
        .outcome,
    ).toBe("written");
    expect((await readTicket(db, a.tenantId, a.id))?.status).toBe("closed");
  });

  it("lets exactly one of two changes claiming the same version in, and nothing of the other", async () => {
    const ticket = await newTicket();
    const [m1, m2] = [message(ticket), message(ticket)];
    const outcomes = await Promise.all(
      [m1, m2].map((m) =>
        writeChange(db, [
          claim(updateTicketIfUnchanged(db, { ...ticket, assignee: m.id, version: 2 })),
          insertMessage(db, m),
        ]),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["lost", "written"]);
    const winner = outcomes[0]!.outcome === "written" ? m1 : m2;
    expect((await readTicket(db, ticket.tenantId, ticket.id))?.assignee).toBe(winner.id);
    expect(await count("messages", "ticket_id = ?1", ticket.id)).toBe(1);
    expect(await count("messages", "id = ?1", winner.id)).toBe(1);
  });
});

describe("a change with a failing statement", () => {
  it("rolls its won claim back too, and throws the failure for the caller to recognise", async () => {
    const ticket = await newTicket();
    const taken = message(ticket);
    await insertMessage(db, taken).run();
    const h = history(ticket);
    const failing = writeChange(db, [
      claim(updateTicketIfUnchanged(db, { ...ticket, status: "answered", version: 2 })),
      insertHistory(db, h),
      insertMessage(db, taken),
    ]);
    const error = await failing.then(
      () => null,
      (e: unknown) => e,
    );
    expect(uniqueViolation(error)).toBe("messages");
    expect(await readTicket(db, ticket.tenantId, ticket.id)).toMatchObject({ status: "open", version: 1 });
    expect(await count("ticket_history", "id = ?1", h.id)).toBe(0);
  });
});

/** Every Worker source file as text, by path. */
const sources = Object.entries(
  import.meta.glob<string>("../../../worker/**/*.ts", { query: "?raw", import: "default", eager: true }),
).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ""), text] as const);

describe("the house rule: one way to write", () => {
  it("keeps SQL and batches in worker/db/ only", () => {
    const outside = sources
      .filter(([path, text]) => !path.startsWith("worker/db/") && /\bdb\s*\.(prepare|batch|exec)\b/i.test(text))
      .map(([path]) => path);
    expect(sources.length).toBeGreaterThan(50);
    expect(outside).toEqual([]);
  });

  it("lets only the guard after a claim look at changes()", () => {
    const readers = sources
      .filter(([path, text]) => path !== "worker/db/write.ts" && /changes\(\)/.test(text))
      .map(([path]) => path);
    expect(readers).toEqual([]);
  });

  it("sends every multi-statement write through writeChange", () => {
    const batches = sources
      .filter(([path, text]) => path !== "worker/db/write.ts" && /\bdb\s*\.batch\b/i.test(text))
      .map(([path]) => path);
    // Reading a ticket's recent events (recent.ts), the tenant with its keys, and a ticket's view
    // (readTicketDetail) are batches of reads, not writes; so are a person's threads and objects
    // (people.ts) and an alert with its ticket for its page (alert-delivery.ts).
    expect(batches).toEqual([
      "worker/db/alert-delivery.ts",
      "worker/db/people.ts",
      "worker/db/recent.ts",
      "worker/db/tenants.ts",
      "worker/db/tickets.ts",
    ]);
  });
});
