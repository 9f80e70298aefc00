import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { api, count, newTenant, queued, technicalTicket } from "./helpers";

const HOUR = 3_600_000;

async function runCron(scheduledTime: number): Promise<void> {
  const q = queued();
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), q.env, ctx);
  await waitOnExecutionContext(ctx);
  // What the cron queued (the failed page, due again by then), delivered as of the same instant.
  await q.drain(scheduledTime);
}

describe("the Cron Trigger", () => {
  it("auto-closes an answered ticket past its window (its notice queued and handled) and retries a failed page", async () => {
    const t = await newTenant({
      config: {
        hours: {},
        emergency: {
          priorities: ["urgent"],
          ackWindowMinutes: 60,
          contacts: [{ channel: "webhook", name: "Pager", url: "http://127.0.0.1:9/hook" }],
          webhookSecret: "whsec-cron-0123456789abcdef0123456789",
        },
      } as never,
    });
    const customer = await t.token();
    const agent = await t.token({ sub: "bob", name: "Bob", role: "agent" });

    const quiet = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: technicalTicket,
    });
    await api("POST", `/api/v1/${t.id}/tickets/${quiet.body.ticket.id}/messages`, {
      token: agent,
      body: { body: "Fixed, please check." },
    });
    const paging = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: { ...technicalTicket, priority: "urgent" },
    });
    const attempts = () =>
      env.DB.prepare("SELECT attempts FROM alerts WHERE ticket_id = ?1")
        .bind(paging.body.ticket.id)
        .first<number>("attempts");
    expect(await attempts()).toBe(1);

    await runCron(Date.now() + 73 * HOUR);

    const closed = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${quiet.body.ticket.id}`, {
      token: customer,
    });
    expect(closed.body.ticket.status).toBe("closed");
    expect(closed.body.ticket.history.at(-1)).toMatchObject({ to: "closed", actor: { kind: "system" } });
    // Its auto_closed notice was queued by the cron and handled by the consumer (this tenant sends no mail: skipped).
    expect(
      await count(
        "notifications",
        "ticket_id = ?1 AND kind = 'auto_closed' AND outcome = 'skipped'",
        quiet.body.ticket.id,
      ),
    ).toBe(1);
    // The pager still refuses connections: the cron tried again and will keep trying.
    expect(await attempts()).toBe(2);
  });
});
