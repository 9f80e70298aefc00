import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import type { CannedReplyResponse } from "../../worker/schemas/console";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { addAgent, staff } from "./console-helpers";
import { newTenant, technicalTicket } from "./helpers";

/** Status and D1 round trips on the request path of one call, as round-trips.test.ts counts them. */
async function measure(method: string, path: string, token: string, body?: unknown) {
  const counts = noD1Counts();
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (body !== undefined) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    }),
    { ...env, DB: countingD1(env.DB, counts) },
    ctx,
  );
  const text = await res.text();
  const calls = counts.calls;
  await waitOnExecutionContext(ctx);
  return { row: `${res.status}: ${calls}`, body: text ? (JSON.parse(text) as unknown) : null };
}

describe("D1 round trips of the console's actions, warm tenant", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const bobClaims = staff("bob", "Bob Agent");
  const bob = await t.token(bobClaims);
  const admin = await t.token(staff("ada", "Ada Admin", "admin"));
  await addAgent(t.id, bobClaims);
  const base = `/api/v1/${t.id}`;

  it("spends what docs/console.md says", async () => {
    await measure("GET", `${base}/config`, customer); // warms the tenant
    const created = await measure("POST", `${base}/tickets`, customer, { ...technicalTicket, sensitive: "pw" });
    const id = (created.body as CreateTicketResponse).ticket.id;
    const seen = (await measure("GET", `${base}/tickets/${id}`, bob)).body as TicketDetailResponse;
    const canned = await measure("POST", `${base}/canned-replies`, admin, {
      title: "Hello",
      body: "Hi {{customer.name}}",
    });
    const cannedId = (canned.body as CannedReplyResponse).cannedReply.id;
    const table = {
      "POST /tickets/{id}/messages (agent, seenVersion + on_hold)": (
        await measure("POST", `${base}/tickets/${id}/messages`, bob, {
          body: "Waiting on you.",
          status: "on_hold",
          reason: "Needs the customer",
          seenVersion: seen.ticket.version,
        })
      ).row,
      "POST /tickets/{id}/messages (agent, stale seenVersion → 409)": (
        await measure("POST", `${base}/tickets/${id}/messages`, bob, {
          body: "Again.",
          seenVersion: seen.ticket.version,
        })
      ).row,
      "PATCH /tickets/{id} (assignee)": (await measure("PATCH", `${base}/tickets/${id}`, bob, { assignee: "bob" })).row,
      "POST /tickets/{id}/sensitive/reveal": (await measure("POST", `${base}/tickets/${id}/sensitive/reveal`, bob)).row,
      "GET /audit": (await measure("GET", `${base}/audit?ticket=${id}`, admin)).row,
      "GET /canned-replies": (await measure("GET", `${base}/canned-replies`, bob)).row,
      "POST /canned-replies": canned.row,
      "PUT /canned-replies/{id}": (
        await measure("PUT", `${base}/canned-replies/${cannedId}`, admin, { title: "Hello", body: "Hi" })
      ).row,
      "DELETE /canned-replies/{id}": (await measure("DELETE", `${base}/canned-replies/${cannedId}`, admin)).row,
    };
    expect(table).toEqual({
      "POST /tickets/{id}/messages (agent, seenVersion + on_hold)": "201: 2",
      "POST /tickets/{id}/messages (agent, stale seenVersion → 409)": "409: 2",
      "PATCH /tickets/{id} (assignee)": "200: 3",
      "POST /tickets/{id}/sensitive/reveal": "200: 2",
      "GET /audit": "200: 1",
      "GET /canned-replies": "200: 1",
      // The admin's first request in this isolate: +1 to enter the staff directory (STAFF_CACHE_MS).
      "POST /canned-replies": "201: 2",
      "PUT /canned-replies/{id}": "200: 2",
      "DELETE /canned-replies/{id}": "204: 2",
    });
  });
});
