import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { STAFF_CACHE_MS } from "../../worker/auth/staff-directory";
import type { AgentView } from "../../worker/schemas/queue";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, billingTicket, count, newTenant } from "./helpers";

const bobClaims = staff("bob", "Bob Agent");
const danaClaims = staff("dana", "Dana Agent");
const adaClaims = staff("ada", "Ada Admin", "admin");

describe("the staff directory", async () => {
  const t = await newTenant();
  const base = `/api/v1/${t.id}`;
  const alice = await t.token();
  const bob = await t.token(bobClaims);
  const dana = await t.token(danaClaims);
  const ada = await t.token(adaClaims);
  const filed = await api<CreateTicketResponse>("POST", `${base}/tickets`, { token: alice, body: billingTicket });
  const ticketId = filed.body.ticket.id;
  const directory = async () =>
    (await api<{ agents: AgentView[] }>("GET", `${base}/agents`, { token: ada })).body.agents;
  const setActive = (token: string, id: string, active: unknown) =>
    api<{ agent: AgentView }>("PATCH", `${base}/agents/${id}`, { token, body: { active } });

  it("adds staff on first use, never customers, and keeps their names fresh", async () => {
    expect((await api("GET", `${base}/queue`, { token: bob })).status).toBe(200);
    expect((await api("GET", `${base}/tickets/${ticketId}`, { token: dana })).status).toBe(200);
    const agents = await directory();
    expect(agents.map((a) => [a.id, a.name, a.role, a.active])).toEqual([
      ["ada", "Ada Admin", "admin", true],
      ["bob", "Bob Agent", "agent", true],
      ["dana", "Dana Agent", "agent", true],
    ]);
    expect(agents.find((a) => a.id === "bob")?.email).toBe("bob@host.example");
    // A token that names them differently refreshes the directory at once.
    const renamed = await t.token({ ...bobClaims, name: "Robert Agent" });
    expect((await api("GET", `${base}/queue`, { token: renamed })).status).toBe(200);
    expect((await directory()).find((a) => a.id === "bob")?.name).toBe("Robert Agent");
  });

  it("lets only an admin deactivate, never themself", async () => {
    const byAgent = await setActive(bob, "dana", false);
    expect(byAgent.status).toBe(403);
    expect(byAgent.body).toMatchObject({ code: "forbidden" });
    const self = await setActive(ada, "ada", false);
    expect(self.status).toBe(400);
    expect(self.body).toMatchObject({ errors: [{ path: "active" }] });
    expect((await setActive(ada, "nobody", false)).status).toBe(404);
    expect((await setActive(ada, "dana", "no")).status).toBe(400);
    expect((await directory()).every((a) => a.active)).toBe(true);
    expect(await count("audit_log", "tenant_id = ?1", t.id)).toBe(0);
  });

  it("refuses a deactivated agent everywhere with 403, audits it, and lets them back", async () => {
    const off = await setActive(ada, "dana", false);
    expect(off.status).toBe(200);
    expect(off.body.agent).toMatchObject({ id: "dana", active: false });
    const audit = await env.DB.prepare("SELECT actor_id, action, detail FROM audit_log WHERE tenant_id = ?1")
      .bind(t.id)
      .all<{ actor_id: string; action: string; detail: string }>();
    expect(audit.results).toEqual([
      { actor_id: "ada", action: "agent.deactivate", detail: JSON.stringify({ agent: "dana", name: "Dana Agent" }) },
    ]);
    // Deactivated again: nothing changes, nothing more is audited.
    expect((await setActive(ada, "dana", false)).status).toBe(200);
    expect(await count("audit_log", "tenant_id = ?1", t.id)).toBe(1);

    const refused = [
      await api("GET", `${base}/queue`, { token: dana }),
      await api("GET", `${base}/queue/counts`, { token: dana }),
      await api("GET", `${base}/agents`, { token: dana }),
      await api("PATCH", `${base}/tickets/${ticketId}`, { token: dana, body: { status: "in_progress" } }),
      await api("POST", `${base}/tickets/${ticketId}/messages`, { token: dana, body: { body: "Hello from Dana." } }),
      await api("POST", `${base}/tickets/${ticketId}/messages`, {
        token: dana,
        body: { body: "A note.", internal: true },
      }),
      await api("POST", `${base}/tickets/${ticketId}/sensitive/reveal`, { token: dana }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(refused[0]?.body).toMatchObject({ code: "forbidden", detail: expect.stringContaining("deactivated") });
    // Nothing was written for them.
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(1);
    const ticket = await api<CreateTicketResponse>("GET", `${base}/tickets/${ticketId}`, { token: alice });
    expect(ticket.body.ticket.status).toBe("open");
    // Listed after the active, marked so.
    expect((await directory()).map((a) => [a.id, a.active])).toEqual([
      ["ada", true],
      ["bob", true],
      ["dana", false],
    ]);
    // Customers are untouched by any of it.
    expect((await api("GET", `${base}/tickets/${ticketId}`, { token: alice })).status).toBe(200);

    const on = await setActive(ada, "dana", true);
    expect(on.body.agent).toMatchObject({ id: "dana", active: true });
    expect((await api("GET", `${base}/queue`, { token: dana })).status).toBe(200);
    expect(await count("audit_log", "tenant_id = ?1 AND action = 'agent.reactivate'", t.id)).toBe(1);
  });

  it("is staff-only: customers get 404", async () => {
    expect((await api("GET", `${base}/agents`, { token: alice })).status).toBe(404);
    expect((await setActive(alice, "dana", false)).status).toBe(404);
  });
});

describe("a deactivation made through another isolate", () => {
  it("takes effect once STAFF_CACHE_MS (30 s) has passed, and not before", async () => {
    expect(STAFF_CACHE_MS).toBe(30_000);
    const t = await newTenant();
    const erin = await t.token({ sub: "erin", name: "Erin Agent", email: "erin@host.example", role: "agent" });
    const queue = () => api("GET", `/api/v1/${t.id}/queue`, { token: erin });
    const start = Date.now();
    try {
      vi.setSystemTime(start);
      expect((await queue()).status).toBe(200);
      // Another isolate's admin: the row changes, this isolate's record of Erin does not.
      await env.DB.prepare("UPDATE agents SET deactivated_at = ?3 WHERE tenant_id = ?1 AND id = ?2")
        .bind(t.id, "erin", start)
        .run();
      vi.setSystemTime(start + STAFF_CACHE_MS - 1);
      expect((await queue()).status).toBe(200);
      vi.setSystemTime(start + STAFF_CACHE_MS);
      expect((await queue()).status).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });
});
