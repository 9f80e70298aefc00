/**
 * The console's presence controller (widget/console/presence.ts) in real Chromium against the
 * demo Worker under wrangler dev: two agents in two browser contexts on one ticket, each told of
 * the other, of typing, and of leaving. The controller is bundled on its own here (the console
 * element that hosts it is another part's) and driven with a minimal host and session.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_ADMIN_SECRET } from "../../demo/constants";
import { ROOT } from "../../scripts/lib/dev-server";
import { signEmbedToken } from "../../worker/auth/token";
import type { PresentAgent } from "../../worker/presence/protocol";
import { launchBrowser } from "./browser";

/** widget/console/presence.ts as a script that sets `window.EdgedeskPresence`. */
async function bundleController(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: "warn",
    build: {
      write: false,
      minify: false,
      lib: {
        entry: join(ROOT, "widget/console/presence.ts"),
        formats: ["iife"],
        name: "EdgedeskPresence",
        fileName: () => "presence.js",
      },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const out of outputs)
    if ("output" in out) for (const chunk of out.output) if (chunk.type === "chunk") return chunk.code;
  throw new Error("no bundle");
}

/** A tenant of its own on the demo Worker (its agents stay out of the demo's directory), with a ticket. */
async function tenantWithTicket(origin: string) {
  const id = `presence-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const admin = { authorization: `Bearer ${DEMO_ADMIN_SECRET}`, "content-type": "application/json" };
  const put = await fetch(`${origin}/api/v1/admin/tenants/${id}`, {
    method: "PUT",
    headers: admin,
    body: JSON.stringify({ name: "Presence Hosting", parentId: null, config: { allowedOrigins: [origin] } }),
  });
  if (put.status !== 201) throw new Error(`tenant: ${put.status} ${await put.text()}`);
  const key = { kid: "k1", secret: `presence-secret-${id}-0123456789abcdef0123456789` };
  const sec = await fetch(`${origin}/api/v1/admin/tenants/${id}/secrets`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify(key),
  });
  if (sec.status !== 201) throw new Error(`secret: ${sec.status} ${await sec.text()}`);
  const now = Math.floor(Date.now() / 1000);
  const token = (sub: string, name: string, role: "customer" | "agent") =>
    signEmbedToken(
      {
        iss: id,
        aud: "edgedesk",
        sub,
        name,
        email: `${sub}@example.com`,
        role,
        services: [],
        iat: now,
        exp: now + 900,
      },
      key,
    );
  const filed = await fetch(`${origin}/api/v1/${id}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${await token("carl", "Carl", "customer")}`, "content-type": "application/json" },
    body: JSON.stringify({ department: "billing", subject: "Invoice question", message: "Charged twice?" }),
  });
  if (filed.status !== 201) throw new Error(`ticket: ${filed.status} ${await filed.text()}`);
  const { ticket } = (await filed.json()) as { ticket: { id: string } };
  return {
    id,
    ticketId: ticket.id,
    bob: await token("bob", "Bob", "agent"),
    erin: await token("erin", "Erin", "agent"),
  };
}

let browser: Browser;
let controller: string;
beforeAll(async () => {
  [browser, controller] = await Promise.all([launchBrowser(), bundleController()]);
});
afterAll(async () => {
  await browser?.close();
});

/** A page of the demo's origin with one controller on `ticketId`, connected when `connect()` is called. */
async function consoleAs(origin: string, tenant: string, ticketId: string, token: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/healthz`);
  await page.evaluate(controller);
  await page.evaluate(
    ({ origin, tenant, ticketId, token }) => {
      const w = window as unknown as Record<string, unknown> & {
        EdgedeskPresence: { PresenceController: new (...args: unknown[]) => { hostConnected(): void } };
      };
      const host = {
        changedAt: 0,
        addController() {},
        removeController() {},
        requestUpdate() {
          // When this agent was first told of someone else.
          const presence = w.presence as { others: unknown[] } | undefined;
          if (!this.changedAt && presence?.others.length) this.changedAt = Date.now();
        },
        updateComplete: Promise.resolve(true),
      };
      const session = {
        client: { url: (path: string) => `${origin}/api/v1/${tenant}${path}` },
        credentials: async () => ({ kind: "token", token }),
      };
      w.host = host;
      w.presence = new w.EdgedeskPresence.PresenceController(host, session, () => ticketId);
    },
    { origin, tenant, ticketId, token },
  );
  return page;
}

const others = (page: Page) =>
  page.evaluate(() => (window as unknown as { presence: { others: PresentAgent[] } }).presence.others);

describe("presence in the browser", () => {
  it("shows each agent the other, the other's typing, and their leaving", async () => {
    const origin = inject("demoUrl");
    const t = await tenantWithTicket(origin);
    const bob = await consoleAs(origin, t.id, t.ticketId, t.bob);
    const erin = await consoleAs(origin, t.id, t.ticketId, t.erin);

    await bob.evaluate(() => (window as unknown as { presence: { hostConnected(): void } }).presence.hostConnected());
    // Bob is connected (told of nobody yet): then Erin opens the ticket.
    await expect
      .poll(() => bob.evaluate(() => (window as unknown as { presence: { connected: boolean } }).presence.connected))
      .toBe(true);
    expect(await others(bob)).toEqual([]);
    const erinOpened = await erin.evaluate(() => {
      (window as unknown as { presence: { hostConnected(): void } }).presence.hostConnected();
      return Date.now();
    });
    await expect.poll(() => others(bob)).toEqual([{ id: "erin", name: "Erin", typing: false }]);
    await expect.poll(() => others(erin)).toEqual([{ id: "bob", name: "Bob", typing: false }]);
    const told = await bob.evaluate(() => (window as unknown as { host: { changedAt: number } }).host.changedAt);
    console.log(
      `presence (Chromium, wrangler dev): Bob told of Erin ${told - erinOpened} ms after her console began to connect (token, handshake, room)`,
    );
    expect(told - erinOpened).toBeLessThan(3_000);

    await erin.evaluate(() => (window as unknown as { presence: { typing(): void } }).presence.typing());
    await expect.poll(() => others(bob)).toEqual([{ id: "erin", name: "Erin", typing: true }]);
    // Typing lasts 5 s after the last keystroke message, then the room's alarm ends it.
    await expect.poll(() => others(bob), { timeout: 15_000 }).toEqual([{ id: "erin", name: "Erin", typing: false }]);

    await erin.evaluate(() =>
      (window as unknown as { presence: { hostDisconnected(): void } }).presence.hostDisconnected(),
    );
    await expect.poll(() => others(bob)).toEqual([]);
    await bob.context().close();
    await erin.context().close();
  });
});
