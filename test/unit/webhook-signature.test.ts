import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyPlain } from "../../examples/webhooks/receiver";
import { newStandardWebhookSecret, signStandardWebhook } from "../../worker/auth/standard-webhooks";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const body = JSON.stringify({ type: "ticket.created", timestamp: new Date(NOW).toISOString(), data: { ticket: null } });

describe("Standard Webhooks signatures", () => {
  it("are accepted by the standardwebhooks library and by the receiver example's plain check, and by no other secret", async () => {
    const secret = newStandardWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = await signStandardWebhook([secret], "msg_1", body, NOW);
    expect(headers["webhook-timestamp"]).toBe(String(NOW / 1000));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyPlain(secret, headers, body, NOW / 1000)).toBe(true);
    // The library checks against the real clock; sign for it.
    const live = await signStandardWebhook([secret], "msg_1", body, Date.now());
    expect(new Webhook(secret).verify(body, live)).toMatchObject({ type: "ticket.created" });

    const other = newStandardWebhookSecret();
    expect(verifyPlain(other, headers, body, NOW / 1000)).toBe(false);
    expect(() => new Webhook(other).verify(body, live)).toThrow();
    expect(verifyPlain(secret, headers, `${body} `, NOW / 1000)).toBe(false);
    expect(verifyPlain(secret, headers, body, NOW / 1000 + 301)).toBe(false);
  });

  it("carry one signature per secret during a rotation's grace period, each one valid", async () => {
    const [current, previous] = [newStandardWebhookSecret(), newStandardWebhookSecret()];
    const headers = await signStandardWebhook([current, previous], "msg_2", body, Date.now());
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });
});
