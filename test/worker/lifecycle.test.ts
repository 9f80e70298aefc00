import { describe, expect, it } from "vitest";
import type {
  CreateTicketResponse,
  ReplyResponse,
  TicketDetailResponse,
  TicketResponse,
} from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, count, newTenant, technicalTicket } from "./helpers";

describe("a ticket's life", () => {
  it("goes created → answered → open → closed → re-opened, with a history row for each change", async () => {
    const t = await newTenant();
    const customer = await t.token();
    const agent = await t.token(staff("bob", "Bob Agent"));

    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: technicalTicket,
    });
    expect(created.status).toBe(201);
    const id = created.body.ticket.id;
    expect(created.headers.get("location")).toBe(`/api/v1/${t.id}/tickets/${id}`);
    expect(created.body.ticket.status).toBe("open");
    expect(created.body.ticket.number).toBeGreaterThanOrEqual(10_000_000);

    const answered = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: agent,
      body: { body: "We rolled the plugin back; please check." },
    });
    expect(answered.status).toBe(201);
    expect(answered.body.ticket.status).toBe("answered");

    const note = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: agent,
      body: { body: "Customer's host is on node 7.", internal: true },
    });
    expect(note.body.ticket.status).toBe("answered");

    const replied = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: customer,
      body: { body: "Still broken on /shop." },
    });
    expect(replied.body.ticket.status).toBe("open");

    const closed = await api<TicketResponse>("PATCH", `/api/v1/${t.id}/tickets/${id}`, {
      token: customer,
      body: { status: "closed" },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.ticket.status).toBe("closed");

    const reopened = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: customer,
      body: { body: "It came back." },
    });
    expect(reopened.body.ticket.status).toBe("open");

    const seen = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${id}`, { token: customer });
    expect(seen.status).toBe(200);
    expect(seen.body.ticket.history.map((h) => [h.from, h.to, h.actor.kind])).toEqual([
      [null, "open", "customer"],
      ["open", "answered", "agent"],
      ["answered", "open", "customer"],
      ["open", "closed", "customer"],
      ["closed", "open", "customer"],
    ]);
    expect(seen.body.ticket.history[4]?.reason).toBe("Re-opened by the customer's reply");
    // The customer never sees the internal note; staff do.
    expect(seen.body.ticket.messages.map((m) => m.author.kind)).toEqual(["customer", "agent", "customer", "customer"]);
    const staffView = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${id}`, { token: agent });
    expect(staffView.body.ticket.messages.filter((m) => m.internal).map((m) => m.body)).toEqual([
      "Customer's host is on node 7.",
    ]);
    expect(await count("ticket_history", "ticket_id = ?1", id)).toBe(5);
  });
});
