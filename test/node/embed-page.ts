/**
 * Pages a panel could be, for the wiring and URL tests: any HTML served at
 * https://desk.example.com/panel/ (the origin the docs' snippet names), with every other request to
 * that origin answered by the seeded demo Worker, and tenant `acme` (the docs' example) being the
 * demo tenant. `/panel/support-token` answers a token for Alice, as the snippet's backend would.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";

export const PANEL_ORIGIN = "https://desk.example.com";

export interface PanelPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors of the page (an "already defined" would be one). */
  errors: string[];
}

/** A fresh context whose https://desk.example.com/panel/ is `html` (optionally at `hash`). */
export async function openEmbedPage(browser: Browser, html: string, hash = ""): Promise<PanelPage> {
  const demoUrl = inject("demoUrl");
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.route(`${PANEL_ORIGIN}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.pathname === "/panel/") return route.fulfill({ contentType: "text/html", body: html });
    if (url.pathname === "/panel/support-token") {
      const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
      return route.fulfill({ contentType: "text/plain", body: token });
    }
    const path = url.pathname.replace(/^\/api\/v1\/acme\//, "/api/v1/demo/");
    // The demo tenant allows the demo's own origin: the request comes from there, as far as the Worker knows.
    const headers = { ...request.headers(), origin: demoUrl };
    const response = await route.fetch({ url: `${demoUrl}${path}${url.search}`, headers });
    return route.fulfill({ response });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${PANEL_ORIGIN}/panel/${hash}`);
  return { page, context, errors };
}
