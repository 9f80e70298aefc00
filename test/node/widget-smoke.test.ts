import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it("loads the built widget into the demo control panel and defines <edgedesk-tickets>", async () => {
  const page = await browser.newPage();
  const failed: string[] = [];
  page.on("pageerror", (error) => failed.push(error.message));
  page.on("response", (res) => {
    if (res.url().includes("/widget/") && !res.ok()) failed.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(`${inject("demoUrl")}/demo/`);
  await page.evaluate(() => customElements.whenDefined("edgedesk-tickets"));
  expect(await page.locator("edgedesk-tickets").count()).toBe(1);
  // Let the element fetch its config and render before the picture is taken.
  await page.waitForLoadState("networkidle");
  expect(failed).toEqual([]);
  await screenshot(page, "smoke-demo-panel");
});
