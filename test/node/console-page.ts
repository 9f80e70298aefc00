/**
 * The agent console in Chromium for the node project's tests: a bare page of the demo's origin
 * that loads /widget/edgedesk-console.js and signs in with a token the test chose, and the API
 * calls the tests make to set up their own tickets.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect, inject } from "vitest";
import { DEMO_EMBED_KEYS, type DemoTenant } from "../../demo/constants";
import type { TicketView } from "../../widget/types";
import { signEmbedToken } from "../../worker/auth/token";

const demoUrl = inject("demoUrl");

export interface Person {
  sub: string;
  name: string;
  email: string;
  role: "customer" | "agent" | "admin";
  /** The provider `demo` unless told otherwise (the reseller `demo-reseller`). */
  tenant: DemoTenant;
}

/** A person of the demo tenant with a fresh id, so each test's tickets and views are its own. */
export function newPerson(role: Person["role"], name: string, tenant: DemoTenant = "demo"): Person {
  const id = crypto.randomUUID().slice(0, 8);
  return { sub: `${role}-${id}`, name, email: `${role}-${id}@example.com`, role, tenant };
}

/** An embed token for `person`, signed as the demo's panel signs them. */
export async function tokenFor(person: Person): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { tenant, ...claims } = person;
  return signEmbedToken(
    { iss: tenant, aud: "edgedesk", ...claims, services: [], iat: now, exp: now + 900 },
    DEMO_EMBED_KEYS[tenant],
  );
}

/** Files a ticket as `customer` through the API. */
export async function fileTicket(
  customer: Person,
  subject: string,
  options: { message?: string; priority?: string; sensitive?: string } = {},
): Promise<TicketView> {
  const res = await fetch(`${demoUrl}/api/v1/${customer.tenant}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${await tokenFor(customer)}`, "content-type": "application/json" },
    body: JSON.stringify({
      department: "billing",
      subject,
      message: options.message ?? "Both invoices for November were charged.",
      priority: options.priority ?? "low",
      fields: {},
      ...(options.sensitive && { sensitive: options.sensitive }),
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: TicketView }).ticket;
}

/** A request to the demo tenant's API as `person`. */
export async function apiAs(person: Person, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${demoUrl}/api/v1/${person.tenant}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(person)}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** GET /tickets/{id} as `person`. */
export async function readTicket(person: Person, id: string): Promise<Response> {
  return fetch(`${demoUrl}/api/v1/${person.tenant}/tickets/${id}`, {
    headers: { authorization: `Bearer ${await tokenFor(person)}` },
  });
}

/**
 * <edgedesk-console> signed in as `person`, at `hash`, on a page the demo Worker serves (/healthz,
 * rebuilt into an admin panel page by an init script on every load, so that reloads and Back
 * work): a page of the Worker's own origin and address, which the console's WebSocket needs
 * (Chromium refuses a loopback socket to a page Playwright made up). Waits for the header.
 */
export async function openConsole(
  browser: Browser,
  person: Person,
  options: { hash?: string; lang?: string; dark?: boolean; width?: number; fakeClock?: boolean } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.dark ? "dark" : "light",
  });
  // Timers the test moves on with `page.clock.fastForward` (the page's own clock, not the test's).
  if (options.fakeClock) await context.clock.install();
  // The token is handed out like a panel's backend does, fresh on each ask.
  await context.exposeFunction("consoleToken", () => tokenFor(person));
  await context.addInitScript(
    ({ lang, tenant }) => {
      if (location.pathname !== "/healthz") return;
      addEventListener("DOMContentLoaded", () => {
        document.documentElement.lang = lang;
        const main = document.createElement("main");
        const el = document.createElement("edgedesk-console") as HTMLElement & {
          tokenProvider?: () => Promise<string>;
        };
        el.setAttribute("api", location.origin);
        el.setAttribute("tenant", tenant);
        el.tokenProvider = () => (window as unknown as { consoleToken: () => Promise<string> }).consoleToken();
        main.appendChild(el);
        document.body.replaceChildren(main);
        // A module script rather than import(): vitest rewrites import() even in code meant for the page.
        const script = Object.assign(document.createElement("script"), {
          type: "module",
          src: "/widget/edgedesk-console.js",
        });
        document.head.appendChild(script);
      });
    },
    { lang: options.lang ?? "en", tenant: person.tenant },
  );
  const page = await context.newPage();
  await page.goto(`${demoUrl}/healthz${options.hash ?? ""}`);
  await page.waitForSelector("edgedesk-console header");
  return { page, context };
}

/** The console's ticket view, once the ticket's heading is shown. */
export async function ticketHeading(page: Page, subject: string): Promise<void> {
  await expect
    .poll(() => page.getByRole("heading", { name: new RegExp(`#\\d+ · ${escapeRegExp(subject)}`) }).isVisible())
    .toBe(true);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
