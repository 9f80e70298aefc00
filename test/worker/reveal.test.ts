import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import { sweepAnsweredTickets } from "../../worker/jobs/auto-close";
import type {
  CreateTicketResponse,
  RevealResponse,
  TicketDetailResponse,
  TicketListResponse,
} from "../../worker/schemas/ticket";
import { auditRows, staff } from "./console-helpers";
import { api, newTenant, technicalTicket } from "./helpers";

const SECRET = "ftp password: Sunflower-42";
/** Past every ticket this file places in time. */
const FAR_FUTURE = Date.UTC(2200, 0, 1);

describe("revealing the sensitive field (docs/console.md)", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const bob = await t.token(staff("bob", "Bob Agent"));
  const admin = await t.token(staff("ada", "Ada Admin", "admin"));
  const base = `/api/v1/${t.id}`;

  async function fileTicket(sensitive: string | null = SECRET): Promise<string> {
    const created = await api<CreateTicketResponse>("POST", `${base}/tickets`, {
      token: customer,
      body: { ...technicalTicket, ...(sensitive !== null && { sensitive }) },
    });
    expect(created.status).toBe(201);
    return created.body.ticket.id;
  }
  const reveal = (token: string, id: string) =>
    api<RevealResponse & Problem>("POST", `${base}/tickets/${id}/sensitive/reveal`, { token });
  const reveals = (id: string) => auditRows(t.id, "ticket_id = ?2 AND action = 'reveal'", id);
  const stored = async (id: string) =>
    (await env.DB.prepare("SELECT sensitive FROM tickets WHERE id = ?1").bind(id).first<{ sensitive: string | null }>())
      ?.sensitive;

  it("returns the value with expiresAt 60 s on, and writes an audit row (who, which ticket)", async () => {
    const id = await fileTicket();
    const before = Date.now();
    const res = await reveal(bob, id);
    expect(res.status).toBe(200);
    expect(res.body.sensitive).toBe(SECRET);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const expires = Date.parse(res.body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
    const rows = await reveals(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: "bob", ticket_id: id });
    expect(rows[0]?.detail).not.toContain("Sunflower");
    // Each reveal is its own entry.
    expect((await reveal(admin, id)).status).toBe(200);
    expect((await reveals(id)).map((r) => r.actor_id)).toEqual(["bob", "ada"]);
  });

  it("answers 404 with a clear detail for a ticket without a value, and writes no audit row", async () => {
    const id = await fileTicket(null);
    const res = await reveal(bob, id);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    expect(res.body.detail).toMatch(/no sensitive value/);
    expect(await reveals(id)).toHaveLength(0);
  });

  it("answers customers 404 (no audit row), and an unknown ticket 404", async () => {
    const id = await fileTicket();
    const res = await reveal(customer, id);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain("Sunflower");
    expect(await reveals(id)).toHaveLength(0);
    expect((await reveal(bob, "no-such-ticket")).status).toBe(404);
  });

  it("never carries the value in a view or a list, for staff either", async () => {
    const id = await fileTicket();
    const views = [
      await api<TicketDetailResponse>("GET", `${base}/tickets/${id}`, { token: bob }),
      await api<TicketListResponse>("GET", `${base}/tickets`, { token: bob }),
      await api<TicketListResponse>("GET", `${base}/tickets`, { token: customer }),
    ];
    for (const v of views) expect(JSON.stringify(v.body)).not.toContain("Sunflower");
    expect(views[0]?.body).toMatchObject({ ticket: { hasSensitive: true } });
  });

  describe("is erased when the ticket closes; its audit entries stay", () => {
    it.each<[string, (id: string) => Promise<unknown>]>([
      ["an agent closes it", (id) => api("PATCH", `${base}/tickets/${id}`, { token: bob, body: { status: "closed" } })],
      [
        "the customer closes it",
        (id) => api("PATCH", `${base}/tickets/${id}`, { token: customer, body: { status: "closed" } }),
      ],
      [
        "an agent replies and closes",
        (id) =>
          api("POST", `${base}/tickets/${id}/messages`, { token: bob, body: { body: "Done.", status: "closed" } }),
      ],
      [
        "auto-close",
        async (id) => {
          await api("POST", `${base}/tickets/${id}/messages`, { token: bob, body: { body: "Please check." } });
          await sweepAnsweredTickets(env.DB, FAR_FUTURE);
        },
      ],
    ])("%s", async (_, close) => {
      const id = await fileTicket();
      expect((await reveal(bob, id)).status).toBe(200);
      await close(id);
      const view = await api<TicketDetailResponse>("GET", `${base}/tickets/${id}`, { token: bob });
      expect(view.body.ticket.status).toBe("closed");
      expect(view.body.ticket.hasSensitive).toBe(false);
      expect(await stored(id)).toBeNull();
      const after = await reveal(bob, id);
      expect(after.status).toBe(404);
      expect(after.body.detail).toMatch(/erased when the ticket closed/);
      expect(await reveals(id)).toHaveLength(1);
    });

    it("keeps the value while the ticket is only put on hold", async () => {
      const id = await fileTicket();
      await api("POST", `${base}/tickets/${id}/messages`, {
        token: bob,
        body: { body: "Waiting on you.", status: "on_hold", reason: "Needs the customer" },
      });
      expect(await stored(id)).not.toBeNull();
      expect((await reveal(bob, id)).body.sensitive).toBe(SECRET);
    });
  });
});
