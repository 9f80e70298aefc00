import { describe, expect, it } from "vitest";
import type { CannedReplyResponse } from "../../worker/schemas/console";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { addAgent, staff } from "./console-helpers";
import { newTenant, technicalTicket } from "./helpers";
import { calls, measure } from "./measure";

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
      "POST /tickets/{id}/messages (agent, seenVersion + on_hold)": calls(
        await measure("POST", `${base}/tickets/${id}/messages`, bob, {
          body: "Waiting on you.",
          status: "on_hold",
          reason: "Needs the customer",
          seenVersion: seen.ticket.version,
        }),
      ),
      "POST /tickets/{id}/messages (agent, stale seenVersion → 409)": calls(
        await measure("POST", `${base}/tickets/${id}/messages`, bob, {
          body: "Again.",
          seenVersion: seen.ticket.version,
        }),
      ),
      "PATCH /tickets/{id} (assignee)": calls(
        await measure("PATCH", `${base}/tickets/${id}`, bob, { assignee: "bob" }),
      ),
      "POST /tickets/{id}/sensitive/reveal": calls(
        await measure("POST", `${base}/tickets/${id}/sensitive/reveal`, bob),
      ),
      "GET /audit": calls(await measure("GET", `${base}/audit?ticket=${id}`, admin)),
      "GET /canned-replies": calls(await measure("GET", `${base}/canned-replies`, bob)),
      "POST /canned-replies": calls(canned),
      "PUT /canned-replies/{id}": calls(
        await measure("PUT", `${base}/canned-replies/${cannedId}`, admin, {
          title: "Hello",
          body: "Hi",
        }),
      ),
      "DELETE /canned-replies/{id}": calls(await measure("DELETE", `${base}/canned-replies/${cannedId}`, admin)),
    };
    expect(table).toEqual({
      "POST /tickets/{id}/messages (agent, seenVersion + on_hold)": "201: 1",
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
