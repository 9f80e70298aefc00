import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyWebhook } from "../../worker/alerts/signature";
import { composeNotification } from "../../worker/email/compose";
import type { Problem } from "../../worker/errors";
import type { TestPageResponse } from "../../worker/schemas/settings";
import type { Tenant } from "../../worker/schemas/tenant";
import { api, newTenant } from "./helpers";

const WEBHOOK_SECRET = "whsec-0123456789abcdef0123456789abcdef";

afterEach(() => {
  vi.restoreAllMocks();
});

async function onCallDesk() {
  const t = await newTenant({
    name: "Bluebird Web",
    config: {
      email: { fromAddress: "help@bluebird.example", newTicketsByEmail: false, departmentsByAddress: {} },
      emergency: {
        contacts: [
          { channel: "webhook", name: "Pager", url: "https://pager.example/hook" },
          { channel: "email", name: "On call", email: "oncall@bluebird.example" },
        ],
        webhookSecret: WEBHOOK_SECRET,
      },
    },
  });
  return { t, admin: await t.token({ sub: "ada", name: "Ada Admin", role: "admin" }) };
}

const testPage = (id: string, token: string, contact: number) =>
  api<TestPageResponse & Problem>("POST", `/api/v1/${id}/settings/test-page`, { token, body: { contact } });

describe("sending a test page from the settings", () => {
  it("posts a signed test to a webhook contact and says how it answered", async () => {
    const { t, admin } = await onCallDesk();
    const received: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      received.push(new Request(input, init));
      return new Response("ok", { status: 200 });
    });
    const res = await testPage(t.id, admin, 0);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contact: { index: 0, name: "Pager", channel: "webhook" }, delivered: true });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.url).toBe("https://pager.example/hook");
    const body = (await request?.text()) ?? "";
    expect(JSON.parse(body)).toMatchObject({ type: "edgedesk.test", tenant: { id: t.id }, sentBy: "Ada Admin" });
    const signature = request?.headers.get("edgedesk-signature") ?? null;
    expect(await verifyWebhook(WEBHOOK_SECRET, signature, body, Math.floor(Date.now() / 1000))).toBe(true);

    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("down", { status: 503 }));
    const failed = await testPage(t.id, admin, 0);
    expect(failed.body).toMatchObject({ delivered: false, statusCode: 503, error: "HTTP 503" });
  });

  it("mails an email contact at once, through the mailer, about no ticket", async () => {
    const { t, admin } = await onCallDesk();
    const fetched = vi.spyOn(globalThis, "fetch");
    const res = await testPage(t.id, admin, 1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contact: { channel: "email" }, delivered: true, error: null });
    expect(fetched).not.toHaveBeenCalled();
    const row = await env.DB.prepare(
      "SELECT id, ticket_id, recipient, payload, outcome FROM notifications WHERE tenant_id = ?1 AND kind = 'alert'",
    )
      .bind(t.id)
      .first<{ id: string; ticket_id: string | null; recipient: string; payload: string; outcome: string }>();
    expect(row).toMatchObject({ ticket_id: null, recipient: "oncall@bluebird.example", outcome: "sent" });
    const tenant = (
      await api<{ tenant: Tenant }>("GET", `/api/v1/admin/tenants/${t.id}`, {
        headers: { authorization: `Bearer ${env.ADMIN_SECRET}` },
      })
    ).body.tenant;
    const mail = await composeNotification(
      {
        id: row?.id ?? "",
        tenantId: t.id,
        ticketId: null,
        kind: "alert",
        recipient: row?.recipient ?? "",
        dedupeKey: "x",
        payload: JSON.parse(row?.payload ?? "{}"),
        createdAt: Date.now(),
        sentAt: null,
        attempts: 0,
        leaseUntil: null,
      },
      { tenant, secret: "s".repeat(32), now: Date.now() },
    );
    expect(mail?.subject).toBe("Test page from Bluebird Web");
    expect(mail?.text).toContain("Ada Admin sent this test page");
  });

  it("refuses an unknown contact (400), agents (403) and customers (404)", async () => {
    const { t, admin } = await onCallDesk();
    const unknown = await testPage(t.id, admin, 5);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe("contact");
    expect((await testPage(t.id, await t.token({ sub: "bob", role: "agent" }), 0)).status).toBe(403);
    expect((await testPage(t.id, await t.token(), 0)).status).toBe(404);
  });
});
