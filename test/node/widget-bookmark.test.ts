import type { Browser, Request } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, openPanel } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const BOOKMARK = "x-d1-bookmark";

it("sends back the newest D1 bookmark it was given, also after a reload, so reads include the person's own writes", async () => {
  const { page, context } = await openPanel(browser, { user: "alice" });
  try {
    const answered: string[] = [];
    page.on("response", (res) => {
      const bookmark = res.headers()[BOOKMARK];
      if (res.url().includes("/api/v1/") && bookmark) answered.push(bookmark);
    });
    const sent: Request[] = [];
    page.on("request", (req) => {
      if (req.url().includes("/api/v1/") && req.method() !== "OPTIONS") sent.push(req);
    });
    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await page.waitForLoadState("networkidle");
    // Every request after the reload carried a bookmark from the page before it (kept for the tab).
    expect(sent.length).toBeGreaterThan(0);
    const first = await sent[0]?.allHeaders();
    expect(first?.[BOOKMARK]).toMatch(/^[0-9a-f]+(-[0-9a-f]+)+$/);
    // And it keeps the newest: the last request sent what the answers before it said at the latest.
    const last = await sent.at(-1)?.allHeaders();
    const newestBefore = answered.slice(0, -1).sort().at(-1) ?? first?.[BOOKMARK] ?? "";
    expect((last?.[BOOKMARK] ?? "") >= newestBefore).toBe(true);
  } finally {
    await context.close();
  }
});
