import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertMessage } from "../../worker/db/messages";
import { appendToTicket, ticketStillAt } from "../../worker/db/tickets";
import { claim, writeChange } from "../../worker/db/write";
import type { Problem } from "../../worker/errors";
import type {
  CreateTicketResponse,
  ReplyResponse,
  TicketDetailResponse,
  TicketListResponse,
  TicketResponse,
} from "../../worker/schemas/ticket";
import { addAgent, auditRows, staff } from "./console-helpers";
import { api, count, newTenant, technicalTicket } from "./helpers";

describe("acting on a ticket (docs/console.md)", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const bob = await t.token(staff("bob", "Bob Agent"));
  const dana = await t.token(staff("dana", "Dana Agent"));
  const base = `/api/v1/${t.id}`;

  async function fileTicket(): Promise<string> {
    const created = await api<CreateTicketResponse>("POST", `${base}/tickets`, {
      token: customer,
      body: technicalTicket,
    });
    expect(created.status).toBe(201);
    return created.body.ticket.id;
  }
  const view = (token: string, id: string) => api<TicketDetailResponse>("GET", `${base}/tickets/${id}`, { token });
  const reply = (token: string, id: string, body: Record<string, unknown>) =>
    api<ReplyResponse & Problem>("POST", `${base}/tickets/${id}/messages`, { token, body });
  const messageCount = (id: string) => count("messages", "ticket_id = ?1", id);

  describe("version and seenVersion", () => {
    it("shows staff the version, and the customer's view has none", async () => {
      const id = await fileTicket();
      const staffView = await view(bob, id);
      expect(typeof staffView.body.ticket.version).toBe("number");
      const own = await view(customer, id);
      expect(own.status).toBe(200);
      expect(own.body.ticket).not.toHaveProperty("version");
      const list = await api<TicketListResponse>("GET", `${base}/tickets`, { token: bob });
      expect(list.body.tickets.find((x) => x.id === id)?.version).toBe(staffView.body.ticket.version);
      const mine = await api<TicketListResponse>("GET", `${base}/tickets`, { token: customer });
      expect(mine.body.tickets.find((x) => x.id === id)).not.toHaveProperty("version");
    });

    it("refuses a reply over another agent's close: 409 changed_meanwhile, nothing stored", async () => {
      const id = await fileTicket();
      const seen = (await view(bob, id)).body.ticket.version ?? -1;
      const closed = await api<TicketResponse>("PATCH", `${base}/tickets/${id}`, {
        token: dana,
        body: { status: "closed", reason: "Duplicate of #1" },
      });
      expect(closed.body.ticket.status).toBe("closed");
      const before = await messageCount(id);
      const auditBefore = (await auditRows(t.id, "ticket_id = ?2", id)).length;

      const refused = await reply(bob, id, { body: "Please try again now.", seenVersion: seen });
      expect(refused.status).toBe(409);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe("changed_meanwhile");
      expect(refused.body.detail).toMatch(/Dana Agent closed it/);
      expect(refused.body.detail).toMatch(/now closed/);
      expect(refused.body.errors?.[0]?.path).toBe("seenVersion");
      // Nothing written: no message, the ticket still closed, no audit row.
      expect(await messageCount(id)).toBe(before);
      const after = await view(bob, id);
      expect(after.body.ticket.status).toBe("closed");
      expect(after.body.ticket.version).toBe(closed.body.ticket.version);
      expect(await auditRows(t.id, "ticket_id = ?2", id)).toHaveLength(auditBefore);

      // With the version now shown, the reply is sent (a staff reply answers the closed ticket).
      const sent = await reply(bob, id, { body: "Please try again now.", seenVersion: after.body.ticket.version });
      expect(sent.status).toBe(201);
      expect(await messageCount(id)).toBe(before + 1);
      expect(sent.body.ticket.version).toBe((after.body.ticket.version ?? 0) + 1);
    });

    it("names a newer customer message and another agent's note", async () => {
      const id = await fileTicket();
      const seen = (await view(bob, id)).body.ticket.version;
      expect((await reply(customer, id, { body: "Any news?" })).status).toBe(201);
      expect((await reply(dana, id, { body: "I'm looking at the logs.", internal: true })).status).toBe(201);
      const refused = await reply(bob, id, { body: "On it.", seenVersion: seen });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/Alice Customer wrote a new message/);
      expect(refused.body.detail).toMatch(/Dana Agent added an internal note/);
    });

    it("sends with the current version, and stays a plain append without one", async () => {
      const id = await fileTicket();
      const seen = (await view(bob, id)).body.ticket.version;
      const sent = await reply(bob, id, { body: "Looking into it.", seenVersion: seen });
      expect(sent.status).toBe(201);
      expect(sent.body.ticket.status).toBe("answered");
      // Without seenVersion, a reply over changes still goes through (the customer widget, scripts).
      expect((await reply(dana, id, { body: "Also checked the DNS." })).status).toBe(201);
      expect((await reply(customer, id, { body: "Thanks!" })).status).toBe(201);
      expect(await messageCount(id)).toBe(4);
    });

    it("checks the version inside the reply's own change (a change between read and write loses it whole)", async () => {
      const id = await fileTicket();
      const seen = (await view(bob, id)).body.ticket.version ?? -1;
      // Another agent's reply lands after the check a request makes on its read…
      expect((await reply(dana, id, { body: "Answered by Dana." })).status).toBe(201);
      // …so the change planned at `seen` must not write: its claim fails and rolls everything back.
      const message = {
        id: crypto.randomUUID(),
        tenantId: t.id,
        ticketId: id,
        authorKind: "agent" as const,
        authorId: "bob",
        authorName: "Bob Agent",
        body: "Late answer",
        internal: false,
        source: "web" as const,
        createdAt: Date.now(),
      };
      const planned = (version: number) => [
        claim(ticketStillAt(env.DB, t.id, id, version)),
        insertMessage(env.DB, message),
        claim(
          appendToTicket(env.DB, {
            tenantId: t.id,
            ticketId: id,
            status: "answered",
            visible: true,
            now: Date.now(),
            waiting: null,
          }),
        ),
      ];
      expect((await writeChange(env.DB, planned(seen))).outcome).toBe("lost");
      expect(await count("messages", "id = ?1", message.id)).toBe(0);
      expect((await writeChange(env.DB, planned(seen + 1))).outcome).toBe("written");
      expect(await count("messages", "id = ?1", message.id)).toBe(1);
    });

    it("refuses seenVersion, status and reason from a customer", async () => {
      const id = await fileTicket();
      const res = await reply(customer, id, { body: "Closing this.", status: "closed", seenVersion: 1 });
      expect(res.status).toBe(403);
      expect(res.body.errors?.map((e) => e.path).sort()).toEqual(["seenVersion", "status"]);
      expect(await messageCount(id)).toBe(1);
    });
  });

  describe("reply and set the status in one step", () => {
    it("reply + on hold with a reason: the message, the history entry with the reason, one version", async () => {
      const id = await fileTicket();
      const seen = (await view(bob, id)).body.ticket.version ?? 0;
      const res = await reply(bob, id, {
        body: "We need your hosting provider's answer first.",
        status: "on_hold",
        reason: "Waiting on the upstream provider",
        seenVersion: seen,
      });
      expect(res.status).toBe(201);
      expect(res.body.ticket.status).toBe("on_hold");
      expect(res.body.ticket.version).toBe(seen + 1);
      const after = await view(bob, id);
      expect(after.body.ticket.status).toBe("on_hold");
      expect(after.body.ticket.messages.at(-1)?.body).toBe("We need your hosting provider's answer first.");
      // After the filing's own entry: one entry, with the reason.
      const status = after.body.ticket.history.filter((h) => h.field === "status").slice(1);
      expect(status.map((h) => [h.from, h.to, h.reason])).toEqual([
        ["open", "on_hold", "Waiting on the upstream provider"],
      ]);
      // The customer sees the reply and the status, not a note.
      const own = await view(customer, id);
      expect(own.body.ticket.status).toBe("on_hold");
      expect(own.body.ticket.messages).toHaveLength(2);
      const audit = await auditRows(t.id, "ticket_id = ?2", id);
      expect(audit.map((a) => a.action)).toEqual(["reply"]);
      expect(JSON.parse(audit[0]?.detail ?? "{}")).toMatchObject({
        status: "on_hold",
        reason: "Waiting on the upstream provider",
      });
    });

    it("reply + close closes it with closedAt and a default reason", async () => {
      const id = await fileTicket();
      const res = await reply(bob, id, { body: "Fixed; closing.", status: "closed" });
      expect(res.status).toBe(201);
      expect(res.body.ticket.status).toBe("closed");
      expect(res.body.ticket.closedAt).not.toBeNull();
      const history = (await view(bob, id)).body.ticket.history.slice(1);
      expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([["open", "closed", "Closed by staff"]]);
    });

    it("keeps the reason of a reply that sets the status a reply sets anyway, and of a re-open", async () => {
      const id = await fileTicket();
      await reply(bob, id, { body: "Answered.", status: "answered", reason: "Known issue, see status page" });
      await api("PATCH", `${base}/tickets/${id}`, { token: bob, body: { status: "closed" } });
      await reply(bob, id, { body: "Re-opening to follow up.", status: "on_hold", reason: "Follow-up next week" });
      const history = (await view(bob, id)).body.ticket.history.slice(1);
      expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([
        ["open", "answered", "Known issue, see status page"],
        ["answered", "closed", "Closed by staff"],
        ["closed", "on_hold", "Follow-up next week"],
      ]);
      expect((await view(customer, id)).body.ticket.status).toBe("on_hold");
    });

    it("refuses a status on an internal note (400 naming status), and a reason without a status", async () => {
      const id = await fileTicket();
      const note = await reply(bob, id, { body: "note", internal: true, status: "closed" });
      expect(note.status).toBe(400);
      expect(note.body.errors).toEqual([{ path: "status", message: expect.stringMatching(/internal note/) }]);
      const reason = await reply(bob, id, { body: "hi", reason: "because" });
      expect(reason.status).toBe(400);
      expect(reason.body.errors?.[0]?.path).toBe("reason");
      expect(await messageCount(id)).toBe(1);
      expect((await view(bob, id)).body.ticket.status).toBe("open");
    });

    it("a note changes nothing but the thread", async () => {
      const id = await fileTicket();
      const before = (await view(bob, id)).body.ticket;
      const note = await reply(bob, id, { body: "Customer is on node 7.", internal: true });
      expect(note.status).toBe(201);
      expect(note.body.ticket.status).toBe(before.status);
      expect(note.body.ticket.lastActivityAt).toBe(before.lastActivityAt);
    });
  });

  describe("assignee from the staff directory", () => {
    it("assigns a known, active agent; refuses an unknown or deactivated one with nothing written", async () => {
      await addAgent(t.id, staff("bob", "Bob Agent"));
      await addAgent(t.id, staff("gone", "Gone Agent"), { deactivated: true });
      const id = await fileTicket();
      const before = (await view(bob, id)).body.ticket;
      const auditBefore = await count("audit_log", "ticket_id = ?1", id);

      for (const [assignee, message] of [
        ["nobody-here", /not an agent of this desk/],
        ["gone", /Gone Agent is deactivated/],
      ] as const) {
        const res = await api<Problem>("PATCH", `${base}/tickets/${id}`, {
          token: dana,
          body: { assignee, priority: "high" },
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ path: "assignee", message: expect.stringMatching(message) }]);
      }
      const unchanged = (await view(bob, id)).body.ticket;
      expect([unchanged.assignee, unchanged.priority, unchanged.version]).toEqual([
        before.assignee,
        before.priority,
        before.version,
      ]);
      expect(await count("audit_log", "ticket_id = ?1", id)).toBe(auditBefore);

      const ok = await api<TicketResponse>("PATCH", `${base}/tickets/${id}`, {
        token: dana,
        body: { assignee: "bob", reason: "Bob knows WordPress" },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.ticket.assignee).toBe("bob");
      expect(ok.body.ticket.version).toBe((before.version ?? 0) + 1);
      // Unassigning needs no directory entry.
      const none = await api<TicketResponse>("PATCH", `${base}/tickets/${id}`, {
        token: dana,
        body: { assignee: null },
      });
      expect(none.body.ticket.assignee).toBeNull();
    });
  });
});
