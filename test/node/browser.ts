/**
 * Real Chromium for the node project's widget and end-to-end tests: Debian's /usr/bin/chromium
 * driven by playwright-core (never a downloaded browser), plus axe-core and screenshots.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Result, SerialContextObject, SerialSelector, SerialSelectorList } from "axe-core";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect, inject } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";

export { launchBrowser } from "../../scripts/lib/chromium";

export const SCREENSHOTS_DIR = join(ROOT, "screenshots");
const AXE_SCRIPT = join(ROOT, "node_modules/axe-core/axe.min.js");

/** What `runAxe` checks: a CSS selector, a list of them, or `{ include, exclude }` (shadow DOM: `{ fromShadowDom: [host, inner] }`). */
export type AxeContext = SerialSelector | SerialSelectorList | SerialContextObject;

/** The WCAG 2.0–2.2 A and AA rules of axe-core. */
const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core's WCAG 2.2 A/AA rules on the page (or `context` in it), open shadow roots
 * included, and returns the violations. Assert with `expect(summarize(violations)).toEqual([])`.
 */
export async function runAxe(page: Page, context?: AxeContext): Promise<Result[]> {
  // Evaluated, not added as a <script>: the pages' Content-Security-Policy allows no inline script.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(await readFile(AXE_SCRIPT, "utf8"));
  return page.evaluate(
    async ({ context, tags }) => {
      const { axe } = window as unknown as { axe: typeof import("axe-core") };
      const options = { runOnly: { type: "tag" as const, values: tags }, resultTypes: ["violations" as const] };
      const results = await (context === undefined ? axe.run(document, options) : axe.run(context, options));
      return results.violations;
    },
    { context, tags: WCAG_AA_TAGS },
  );
}

/** One line per violation — rule, impact, and the offending elements — for readable assertions. */
export function summarize(violations: Result[]): string[] {
  return violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`,
  );
}

/**
 * The demo control panel in a fresh browser context (cold storage, no drafts), signed in as a
 * demo user, once the widget has drawn its header.
 */
export async function openPanel(
  browser: Browser,
  options: { user?: string; lang?: string; dark?: boolean; path?: string } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    acceptDownloads: true,
    colorScheme: options.dark ? "dark" : "light",
  });
  const page = await context.newPage();
  const params = new URLSearchParams({ user: options.user ?? "alice", ...(options.lang && { lang: options.lang }) });
  await page.goto(`${inject("demoUrl")}${options.path ?? "/demo/"}?${params}`);
  await page.waitForSelector("edgedesk-tickets .hours");
  return { page, context };
}

/**
 * The rendered text of an element's shadow root and of every shadow root nested in it (the
 * widget's views are elements of their own, and `innerText` stops at a shadow root).
 */
export function shadowText(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((host) => {
    const texts: string[] = [];
    const read = (root: ShadowRoot) => {
      for (const child of Array.from(root.children)) texts.push((child as HTMLElement).innerText);
      for (const element of Array.from(root.querySelectorAll("*"))) if (element.shadowRoot) read(element.shadowRoot);
    };
    if (host.shadowRoot) read(host.shadowRoot);
    return texts.join("\n");
  });
}

/** Saves a full-page PNG as screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Words of the elements matching `selector` (shadow roots pierced) that the layout splits across
 * two lines ("Sav" / "e"): a label or a short cell squeezed below its longest word.
 */
export async function wordsSplitAcrossLines(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) => {
    const split: string[] = [];
    for (const element of elements) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of (node.textContent ?? "").matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
          if (lines.size > 1) split.push(word[0]);
        }
      }
    }
    return split;
  });
}

/**
 * The row of the widget's list for `subject`, pressing "Load more" until it shows: other tests
 * file tickets as the same demo customer, so a seeded ticket may be past the first page.
 */
export async function ticketRow(page: Page, subject: string | RegExp, selector = "edgedesk-tickets"): Promise<Locator> {
  const widget = page.locator(selector);
  const row = widget.locator(".ticket").filter({ hasText: subject }).first();
  await expect
    .poll(
      async () => {
        if (await row.isVisible()) return true;
        const more = widget.getByRole("button", { name: "Load more" });
        if (await more.isVisible()) await more.click();
        return false;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return row;
}
