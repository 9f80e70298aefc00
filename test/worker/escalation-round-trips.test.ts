import { describe, expect, it } from "vitest";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, newTenant, technicalTicket } from "./helpers";
import { calls, measure } from "./measure";

/** Status and D1 round trips on the request path: `201: 2`. */
const spent = async (method: string, path: string, token: string, body?: unknown) =>
  calls(await measure(method, path, token, body));

describe("D1 round trips of the escalation and settings routes (warm tenants)", () => {
  it("spends what docs/console.md says", async () => {
    const provider = await newTenant({ name: "Northwind Hosting" });
    const reseller = await newTenant({ parentId: provider.id, name: "Bluebird Web" });
    const dana = await reseller.token({ sub: "dana", name: "Dana", role: "agent" });
    const admin = await reseller.token({ sub: "ada", name: "Ada", role: "admin" });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${reseller.id}/tickets`, {
      token: await reseller.token(),
      body: technicalTicket,
    });
    const id = filed.body.ticket.id;
    // Warm both tenants in this isolate's cache, as a busy desk's are.
    await api("GET", `/api/v1/${provider.id}/config`);
    await api("GET", `/api/v1/${reseller.id}/config`);
    const base = `/api/v1/${reseller.id}`;
    // A settings change forgets the cached tenant: the next request reloads it (+1), so warm it again first.
    const warm = async (measure: () => Promise<string>) => {
      await api("GET", `/api/v1/${reseller.id}/config`);
      return measure();
    };
    expect({
      escalate: await spent("POST", `${base}/tickets/${id}/escalate`, dana, { note: "Please check." }),
      "GET /tickets/{id} (staff, escalated)": await spent("GET", `${base}/tickets/${id}`, dana),
      "GET /settings": await spent("GET", `${base}/settings`, admin),
      "PATCH /settings": await spent("PATCH", `${base}/settings`, admin, { branding: { accentColor: "#aa3300" } }),
      "POST /settings/openings": await warm(() => spent("POST", `${base}/settings/openings`, admin, { count: 3 })),
      "POST /settings/secrets": await spent("POST", `${base}/settings/secrets`, admin),
    }).toEqual({
      // The ticket, then the one write (the provider tenant comes from the warm cache).
      escalate: "201: 3", // + the agent's first request in this isolate (staff directory, STAFF_CACHE_MS)
      "GET /tickets/{id} (staff, escalated)": "200: 1",
      "GET /settings": "200: 2", // + the admin's first request in this isolate
      // The tenant and its key ids in one batch, then the write.
      "PATCH /settings": "200: 2",
      "POST /settings/openings": "200: 0",
      "POST /settings/secrets": "201: 1",
    });
  });
});
