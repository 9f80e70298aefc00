import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_KEY_DAYS, INBOUND_MAIL_DAYS, sweepRetention } from "../../worker/jobs/retention";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, billingTicket, count, newTenant } from "./helpers";

const DAY = 86_400_000;

describe("retention", () => {
  it("forgets Idempotency-Keys after a week and inbound Message-IDs after 30 days, and nothing younger", async () => {
    const t = await newTenant();
    const token = await t.token();
    const file = (key: string) =>
      api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
        token,
        body: billingTicket,
        headers: { "idempotency-key": key },
      });
    const old = await file(`old-${t.id}`);
    await file(`new-${t.id}`);
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = created_at - ?2 WHERE key = ?1")
      .bind(`old-${t.id}`, IDEMPOTENCY_KEY_DAYS * DAY + 1000)
      .run();
    const now = Date.now();
    for (const [id, age] of [
      ["<old@mail.example>", INBOUND_MAIL_DAYS * DAY + 1000],
      ["<recent@mail.example>", INBOUND_MAIL_DAYS * DAY - 60_000],
    ] as const) {
      await env.DB.prepare(
        "INSERT INTO inbound_mail (tenant_id, message_id, rcpt, outcome, created_at) VALUES (?1, ?2, 'support@x.example', 'added', ?3)",
      )
        .bind(t.id, id, now - age)
        .run();
    }

    const swept = await sweepRetention(env.DB, now);
    expect(swept.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(await count("idempotency_keys", "tenant_id = ?1", t.id)).toBe(1);
    expect(await count("inbound_mail", "tenant_id = ?1 AND message_id = '<recent@mail.example>'", t.id)).toBe(1);
    expect(await count("inbound_mail", "tenant_id = ?1", t.id)).toBe(1);
    // The tickets themselves are untouched; a retry with the forgotten key is a new request.
    expect(await count("tickets", "id = ?1", old.body.ticket.id)).toBe(1);
    expect((await file(`new-${t.id}`)).headers.get("idempotent-replayed")).toBe("true");
    expect((await file(`old-${t.id}`)).body.ticket.id).not.toBe(old.body.ticket.id);
  });
});
