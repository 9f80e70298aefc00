/**
 * Pages a panel could be, for the wiring and URL tests: any HTML served at <origin>/panel/. The
 * origin is https://desk.example.com (the one the docs' snippet names) unless told otherwise; its
 * other requests are answered by the seeded demo Worker, with the docs' example tenants (`acme`,
 * the README's `northwind`) being the demo tenant. The snippets' backends answer tokens:
 * `/panel/support-token` Alice's (or the token given), `/admin/edgedesk-token` Bob's (an agent).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect, inject } from "vitest";
import { shadowText, ticketRow } from "./browser";

export const PANEL_ORIGIN = "https://desk.example.com";

export interface PanelPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors of the page (an "already defined" would be one). */
  errors: string[];
}

export interface PanelOptions {
  /** What follows /panel/ in the first address, e.g. `#edgedesk=new`. */
  hash?: string;
  /** The token /panel/support-token answers; Alice's by default. */
  token?: string;
  /** The page's origin; the demo Worker's own (where a guest's link may point) or PANEL_ORIGIN. */
  origin?: string;
}

/** A fresh context whose <origin>/panel/ is `html`. */
export async function openEmbedPage(browser: Browser, html: string, options: PanelOptions = {}): Promise<PanelPage> {
  const demoUrl = inject("demoUrl");
  const origin = options.origin ?? PANEL_ORIGIN;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  if (origin !== demoUrl)
    await context.route(`${origin}/**`, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.pathname === "/admin/edgedesk-token")
        return route.fulfill({
          contentType: "text/plain",
          body: await (await fetch(`${demoUrl}/demo/token/bob`)).text(),
        });
      const path = url.pathname.replace(/^\/api\/v1\/(acme|northwind)\//, "/api/v1/demo/");
      // The demo tenant allows the demo's own origin: the request comes from there, as far as the Worker knows.
      const headers = { ...request.headers(), origin: demoUrl };
      const response = await route.fetch({ url: `${demoUrl}${path}${url.search}`, headers });
      return route.fulfill({ response });
    });
  await context.route(`${origin}/panel/**`, async (route) => {
    if (new URL(route.request().url()).pathname === "/panel/support-token") {
      const token = options.token ?? (await (await fetch(`${demoUrl}/demo/token/alice`)).text());
      return route.fulfill({ contentType: "text/plain", body: token });
    }
    return route.fulfill({ contentType: "text/html", body: html });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${origin}/panel/${options.hash ?? ""}`);
  return { page, context, errors };
}

// ---- the pieces of a panel page -------------------------------------------------------------

export const SCRIPT = `<script type="module" src="${PANEL_ORIGIN}/widget/edgedesk.js"></script>`;
export const ELEMENT = `<edgedesk-tickets api="${PANEL_ORIGIN}" tenant="acme"></edgedesk-tickets>`;
export const PROVIDER = `async () => (await fetch("/panel/support-token")).text()`;
export const SET_PROVIDER = `<script>document.querySelector("edgedesk-tickets").tokenProvider = ${PROVIDER};</script>`;

/** A whole page around `body`. */
export const html = (body: string, head = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Panel</title>${head}</head><body><main>${body}</main></body></html>`;

/** Alice's list under Northwind's brand (not the guest form), in the widget at `selector`. */
export async function expectSignedIn(page: Page, selector = "edgedesk-tickets"): Promise<void> {
  const widget = page.locator(selector);
  await ticketRow(page, "500 Error on example.com", selector);
  expect(await shadowText(page, selector)).toContain("Northwind Support");
  expect(await widget.getByLabel("Your name").count()).toBe(0);
}
