import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import worker from "../../worker/index";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import { changedSoon, notifyChanged, presenceRoom } from "../../worker/presence/notify";
import { MAX_SOCKETS_PER_TICKET, type PresenceServerMessage } from "../../worker/presence/protocol";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, billingTicket, newTenant, ORIGIN } from "./helpers";

const TYPING_MS = Number(env.PRESENCE_TYPING_MS);

/** One console's socket, as the browser's would be: it keeps every message and waits for the next one wanted. */
class Socket {
  readonly inbox: PresenceServerMessage[] = [];
  #waiters: (() => void)[] = [];

  /** Resolves with the close code once the closing handshake completes. */
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.addEventListener("close", (event) => resolve(event.code)));
    ws.accept();
    ws.addEventListener("message", (event) => {
      this.inbox.push(JSON.parse(String(event.data)) as PresenceServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** The first message not yet taken that `wanted` accepts (earlier ones are dropped); fails after `ms`. */
  async next(wanted: (m: PresenceServerMessage) => boolean = () => true, ms = 3_000): Promise<PresenceServerMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const message = this.inbox.shift();
      if (message && wanted(message)) return message;
      if (message) continue;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message in ${ms} ms`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  /** The next roster this socket is told: everyone else on the ticket, by name. */
  async others(): Promise<{ id: string; name: string; typing: boolean }[]> {
    const m = await this.next((x) => x.type === "presence");
    return m.type === "presence" ? m.others : [];
  }

  /** Nothing arrives for `ms`. */
  async quiet(ms = 300): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.inbox.length === 0;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.ws.close(1000, "done");
  }
}

/** The WebSocket handshake as a browser sends it: the token as a subprotocol, the page's origin. */
function handshake(
  path: string,
  options: { token?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers({ Upgrade: "websocket", ...options.headers });
  if (options.token !== undefined) headers.set("Sec-WebSocket-Protocol", `edgedesk, bearer.${options.token}`);
  if (options.origin !== null) headers.set("Origin", options.origin ?? ORIGIN);
  return exports.default.fetch(new Request(`https://desk.example.com${path}`, { headers }));
}

async function connect(path: string, token: string): Promise<Socket> {
  const res = await handshake(path, { token });
  if (res.status !== 101 || !res.webSocket) throw new Error(`handshake answered ${res.status}: ${await res.text()}`);
  return new Socket(res.webSocket);
}

/** The tenant and ticket of a presence path. */
const roomOf = (path: string): [string, string] => [path.split("/")[3] ?? "", path.split("/")[5] ?? ""];

async function setup() {
  const t = await newTenant();
  const agent = (sub: string, name: string) => t.token({ sub, name, email: `${sub}@host.example`, role: "agent" });
  const [alice, bob, dana] = await Promise.all([t.token(), agent("bob", "Bob"), agent("dana", "Dana")]);
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: alice,
    body: billingTicket,
  });
  const ticketId = created.body.ticket.id;
  return { t, alice, bob, dana, ticketId, path: `/api/v1/${t.id}/tickets/${ticketId}/presence` };
}

describe("presence on a ticket", () => {
  it("tells an agent already on the ticket, in one message, that a colleague opened it", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    expect(await b.others()).toEqual([]);

    const started = performance.now();
    const d = await connect(path, dana);
    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: false }]);
    const told = performance.now() - started;
    console.log(`presence: Bob told that Dana opened the ticket ${told.toFixed(1)} ms after Dana's handshake began`);
    expect(await d.others()).toEqual([{ id: "bob", name: "Bob", typing: false }]);
    b.close();
    d.close();
  });

  it("answers the handshake with the edgedesk subprotocol, never echoing the token", async () => {
    const { path, bob } = await setup();
    const res = await handshake(path, { token: bob });
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe("edgedesk");
    res.webSocket?.accept();
    res.webSocket?.close(1000);
  });

  it("counts an agent with two tabs once, and never lists an agent to themselves", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    await b.others();
    const d1 = await connect(path, dana);
    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: false }]);
    const d2 = await connect(path, dana);
    expect(await d2.others()).toEqual([{ id: "bob", name: "Bob", typing: false }]);
    // Dana's second tab changes nothing Bob sees: he is told nothing.
    expect(await b.quiet()).toBe(true);
    // Dana closing one tab leaves her on the ticket; closing the last one takes her off.
    d1.close();
    expect(await b.quiet()).toBe(true);
    d2.close();
    expect(await b.others()).toEqual([]);
    b.close();
  });

  it("shows a colleague typing, then not typing once they stop for the typing time", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    await b.others();
    const d = await connect(path, dana);
    await b.others();
    await d.others();

    d.send({ type: "typing" });
    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: true }]);
    const typedAt = Date.now();
    // Dana's own tabs are not told about her own typing.
    expect(await d.quiet(50)).toBe(true);

    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: false }]);
    expect(Date.now() - typedAt).toBeGreaterThanOrEqual(TYPING_MS - 60);
    b.close();
    d.close();
  });

  it("keeps a colleague typing while they keep typing, without telling anyone again", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    await b.others();
    const d = await connect(path, dana);
    await b.others();

    d.send({ type: "typing" });
    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: true }]);
    await new Promise((resolve) => setTimeout(resolve, TYPING_MS / 2));
    d.send({ type: "typing" });
    // Still typing past the first expiry; then the second one ends it.
    expect(await b.quiet(TYPING_MS * 0.7)).toBe(true);
    expect(await b.others()).toEqual([{ id: "dana", name: "Dana", typing: false }]);
    b.close();
    d.close();
  });

  it("takes an agent who leaves off the others' list", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    await b.others();
    const d = await connect(path, dana);
    await b.others();
    d.close();
    expect(await b.others()).toEqual([]);
    // The room answers the close: Dana's socket closes cleanly rather than timing out.
    expect(await d.closed).toBe(1000);
    const snapshot = await presenceRoom(env, ...roomOf(path)).snapshot();
    expect(snapshot.agents.map((a) => a.id)).toEqual(["bob"]);
    b.close();
  });

  it("answers a ping with a pong, and ignores what it does not understand", async () => {
    const { path, bob, dana } = await setup();
    const b = await connect(path, bob);
    await b.others();
    const d = await connect(path, dana);
    await b.others();
    b.ws.send('{"type":"ping"}');
    expect(await b.next()).toEqual({ type: "pong" });
    d.ws.send("not json");
    d.send({ type: "shout", text: "hello" });
    d.ws.send("x".repeat(5_000));
    expect(await b.quiet()).toBe(true);
    b.close();
    d.close();
  });

  it("tells every console on the ticket its new version when it changes", async () => {
    const { t, ticketId, path, bob, dana } = await setup();
    const b = await connect(path, bob);
    const d = await connect(path, dana);
    await notifyChanged(env, t.id, ticketId, 7);
    expect(await b.next((m) => m.type === "changed")).toEqual({ type: "changed", version: 7 });
    expect(await d.next((m) => m.type === "changed")).toEqual({ type: "changed", version: 7 });
    // As a route would hook it: after the write, off the response's path.
    const ctx = createExecutionContext();
    changedSoon({ env, executionCtx: ctx }, { tenantId: t.id, id: ticketId, version: 8 });
    await waitOnExecutionContext(ctx);
    expect(await b.next((m) => m.type === "changed")).toEqual({ type: "changed", version: 8 });
    b.close();
    d.close();
  });
});

describe("the handshake's cost", () => {
  it("reads D1 once (the ticket), once the tenant and the agent are known to the isolate", async () => {
    const { path, bob } = await setup();
    const open = async (db: D1Database) => {
      const ctx = createExecutionContext();
      const headers = { Upgrade: "websocket", "Sec-WebSocket-Protocol": `edgedesk, bearer.${bob}`, Origin: ORIGIN };
      const res = await worker.fetch(
        new Request(`https://desk.example.com${path}`, { headers }),
        { ...env, DB: db },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close(1000);
    };
    await open(env.DB);
    const counts = noD1Counts();
    await open(countingD1(env.DB, counts));
    expect(counts.calls).toBe(1);
  });
});

describe("the room's limit", () => {
  it(`refuses a socket past ${MAX_SOCKETS_PER_TICKET} on one ticket with 429, and takes one again once one closes`, async () => {
    const { path, bob } = await setup();
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_TICKET }, () => connect(path, bob)));
    const refused = await handshake(path, { token: bob });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Problem).code).toBe("rate_limited");
    sockets[0]?.close();
    await expect
      .poll(async () => (await presenceRoom(env, ...roomOf(path)).snapshot()).sockets)
      .toBe(MAX_SOCKETS_PER_TICKET - 1);
    const again = await connect(path, bob);
    for (const socket of [...sockets.slice(1), again]) socket.close();
  });
});

describe("who may open a ticket's presence", () => {
  it("answers a customer, even the ticket's own requester, 404", async () => {
    const { path, alice } = await setup();
    const res = await handshake(path, { token: alice });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Problem).code).toBe("not_found");
  });

  it("answers 404 for another tenant's ticket, by either tenant's path", async () => {
    const { ticketId, path } = await setup();
    const other = await newTenant();
    const stranger = await other.token({ sub: "eve", name: "Eve", role: "agent" });
    expect((await handshake(`/api/v1/${other.id}/tickets/${ticketId}/presence`, { token: stranger })).status).toBe(404);
    // Their token is not this tenant's.
    expect((await handshake(path, { token: stranger })).status).toBe(401);
  });

  it("answers 401 without a token or with one that does not verify", async () => {
    const { path, bob } = await setup();
    expect((await handshake(path)).status).toBe(401);
    expect((await handshake(path, { token: `${bob.slice(0, -4)}AAAA` })).status).toBe(401);
    expect((await handshake(path, { token: "not-a-token" })).status).toBe(401);
  });

  it("answers 403 to a page of an origin the tenant does not allow", async () => {
    const { path, bob } = await setup();
    const res = await handshake(path, { token: bob, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Problem).code).toBe("forbidden");
  });

  it("accepts a page of the Worker's own origin", async () => {
    const { path, bob } = await setup();
    const res = await handshake(path, { token: bob, origin: "https://desk.example.com" });
    expect(res.status).toBe(101);
    res.webSocket?.accept();
    res.webSocket?.close(1000);
  });

  it("never takes the token from the URL (URLs land in logs)", async () => {
    const { path, bob } = await setup();
    expect((await handshake(`${path}?token=${bob}`)).status).toBe(401);
    expect((await handshake(`${path}?access_token=${bob}`)).status).toBe(401);
  });

  it("accepts a client that is not a browser: no Origin, the token in Authorization", async () => {
    const { path, bob } = await setup();
    const res = await handshake(path, { origin: null, headers: { Authorization: `Bearer ${bob}` } });
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBeNull();
    res.webSocket?.accept();
    res.webSocket?.close(1000);
  });

  it("answers 400 to a request that is not a WebSocket handshake", async () => {
    const { path, bob } = await setup();
    const res = await api("GET", path, { token: bob });
    expect(res.status).toBe(400);
  });
});
