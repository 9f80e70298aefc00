import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyPlain } from "../../examples/webhooks/receiver";
import { newWebhookSecret, standardWebhookHeaders } from "../../worker/webhooks/signature";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const body = JSON.stringify({ type: "ticket.created", timestamp: new Date(NOW).toISOString(), data: { ticket: null } });

describe("Standard Webhooks signatures", () => {
  it("are accepted by the standardwebhooks library and by the receiver example's plain check, and by no other secret", async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = await standardWebhookHeaders([secret], "msg_1", NOW, body);
    expect(headers["webhook-timestamp"]).toBe(String(NOW / 1000));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyPlain(secret, headers, body, NOW / 1000)).toBe(true);
    // The library checks against the real clock; sign for it.
    const live = await standardWebhookHeaders([secret], "msg_1", Date.now(), body);
    expect(new Webhook(secret).verify(body, live)).toMatchObject({ type: "ticket.created" });

    const other = newWebhookSecret();
    expect(verifyPlain(other, headers, body, NOW / 1000)).toBe(false);
    expect(() => new Webhook(other).verify(body, live)).toThrow();
    expect(verifyPlain(secret, headers, `${body} `, NOW / 1000)).toBe(false);
    expect(verifyPlain(secret, headers, body, NOW / 1000 + 301)).toBe(false);
  });

  it("carry one signature per secret during a rotation's grace period, each one valid", async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = await standardWebhookHeaders([current, previous], "msg_2", Date.now(), body);
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });
});
