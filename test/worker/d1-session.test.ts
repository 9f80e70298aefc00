import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { BOOKMARK_HEADER } from "../../worker/middleware/d1-session";
import type { CreateTicketResponse, TicketListResponse } from "../../worker/schemas/ticket";
import { api, newTenant, ORIGIN, technicalTicket } from "./helpers";

/** Calls the Worker over the real local D1, noting each session it opens and what it started from. */
async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const sessions: (string | undefined)[] = [];
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === "withSession")
        return (from?: string) => {
          sessions.push(from);
          return target.withSession(from);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? null : JSON.stringify(body),
    }),
    { ...env, DB: db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, sessions, json: (await res.json()) as unknown };
}

describe("D1 sessions: reads from a replica never older than the caller's last answer", () => {
  it("answers with a bookmark, and a request that sends it back reads from at least that point: the customer finds the ticket they just filed", async () => {
    const t = await newTenant();
    const auth = { authorization: `Bearer ${await t.token()}` };
    const filed = await call("POST", `/api/v1/${t.id}/tickets`, auth, technicalTicket);
    expect(filed.res.status).toBe(201);
    const afterWrite = filed.res.headers.get(BOOKMARK_HEADER);
    expect(afterWrite).toMatch(/^[0-9a-f]+(-[0-9a-f]+)+$/);
    // Without a bookmark a request may start anywhere.
    expect(filed.sessions).toEqual(["first-unconstrained"]);

    const list = await call("GET", `/api/v1/${t.id}/tickets`, { ...auth, [BOOKMARK_HEADER]: afterWrite ?? "" });
    expect(list.sessions).toEqual([afterWrite]);
    const { ticket } = filed.json as CreateTicketResponse;
    expect((list.json as TicketListResponse).tickets.map((x) => x.id)).toContain(ticket.id);
    // Bookmarks sort oldest to newest: the answer is never older than what was sent.
    const afterRead = list.res.headers.get(BOOKMARK_HEADER) ?? "";
    expect(afterRead >= (afterWrite ?? "")).toBe(true);
  });

  it("ignores a bookmark that is not one (it can only make reads fresher, never fail a request)", async () => {
    const t = await newTenant();
    const auth = { authorization: `Bearer ${await t.token()}` };
    for (const junk of ["", "nope", "00000001-zz", "'; DROP TABLE tickets; --", "a".repeat(400)]) {
      const list = await call("GET", `/api/v1/${t.id}/tickets`, { ...auth, [BOOKMARK_HEADER]: junk });
      expect(list.res.status).toBe(200);
      expect(list.sessions).toEqual(["first-unconstrained"]);
    }
  });

  it("lets the tenant's panel send and read the bookmark across origins", async () => {
    const t = await newTenant();
    const preflight = await api("OPTIONS", `/api/v1/${t.id}/tickets`, {
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": `authorization,content-type,${BOOKMARK_HEADER}`,
      },
    });
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(BOOKMARK_HEADER);
    const get = await api("GET", `/api/v1/${t.id}/tickets`, {
      token: await t.token(),
      headers: { origin: ORIGIN },
    });
    expect(get.headers.get("access-control-expose-headers")?.toLowerCase()).toContain(BOOKMARK_HEADER);
    expect(get.headers.get(BOOKMARK_HEADER)).toBeTruthy();
  });
});
