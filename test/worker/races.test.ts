import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acknowledgeTicketAlerts, insertAlert } from "../../worker/db/alerts";
import { insertMessage } from "../../worker/db/messages";
import { readTicket, updateTicketIfUnchanged } from "../../worker/db/tickets";
import { claim, writeChange } from "../../worker/db/write";
import { api, newTenant, technicalTicket } from "./helpers";

describe("a change that loses its race writes nothing", () => {
  it("does not acknowledge a ticket's alerts when its reply was not saved", async () => {
    const t = await newTenant();
    const created = await api<{ ticket: { id: string } }>("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: technicalTicket });
    const ticket = (await readTicket(env.DB, t.id, created.body.ticket.id))!;
    const alertId = crypto.randomUUID();
    await insertAlert(env.DB, { id: alertId, tenantId: t.id, ticketId: ticket.id, trigger: "created", triggerKey: `race:${alertId}`, priority: "urgent", createdAt: Date.now() }).run();
    // The batch an agent's reply makes, planned on a version someone else has since changed.
    const stale = { ...ticket, version: ticket.version + 5, status: "answered" as const };
    const messageId = crypto.randomUUID();
    const now = Date.now();
    const outcome = await writeChange(env.DB, [
      claim(updateTicketIfUnchanged(env.DB, stale)),
      insertMessage(env.DB, { id: messageId, tenantId: t.id, ticketId: ticket.id, authorKind: "agent", authorId: "bob", authorName: "Bob", body: "On it.", internal: false, source: "web", createdAt: now }),
      acknowledgeTicketAlerts(env.DB, ticket.id, "Bob", now),
    ]);
    expect(outcome.outcome).toBe("lost");
    const alert = await env.DB.prepare("SELECT state FROM alerts WHERE id = ?1").bind(alertId).first<{ state: string }>();
    expect(alert?.state).toBe("pending");
  });
});
