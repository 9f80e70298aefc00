import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STATUS_NOTICE } from "../../demo/constants";
import { en } from "../../widget/locales/en";
import { ru } from "../../widget/locales/ru";
import type { PublicStatusNotice } from "../../worker/schemas/status-notice";
import { launchBrowser, openPanel, runAxe, screenshot, summarize } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const MAIL_DELAYS: PublicStatusNotice = {
  text: "Mail delays on vps7 — no need to file a ticket",
  severity: "incident",
  startsAt: null,
  endsAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
  affects: ["vps7"],
};

/**
 * The demo panel as Alice, with the notice put into the widget's `/config` as the Worker sends it
 * while one is showing (the demo tenant itself has none: other tests share it).
 */
async function panelWithNotice(notice: PublicStatusNotice, lang?: string) {
  const opened = await openPanel(browser, lang ? { lang } : {});
  await opened.page.route("**/api/v1/demo/config", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), statusNotice: notice } });
  });
  await opened.page.reload();
  await opened.page.waitForSelector("edgedesk-tickets .hours");
  return opened;
}

/** The order of the widget's parts from the top: the class or tag of each block the notice is among. */
const blocksFromTop = (page: Page) =>
  page.evaluate(() => {
    const wrap = document.querySelector("edgedesk-tickets")?.shadowRoot?.querySelector(".wrap");
    return Array.from(wrap?.children ?? [], (e) => e).map((e) =>
      e.classList.contains("status") ? "status" : e.tagName.toLowerCase(),
    );
  });

describe("the status notice in the customer widget", () => {
  it("shows at the top of the widget, then under the form's heading instead, read out as a status; axe-clean", async () => {
    const { page, context } = await panelWithNotice(MAIL_DELAYS);
    const status = page.getByRole("status").filter({ hasText: MAIL_DELAYS.text });
    await expect.poll(() => status.count()).toBe(1);
    expect(await status.textContent()).toContain(`${en.notice_incident} ${MAIL_DELAYS.text} (vps7), until `);
    // Above the view: after the brand bar and the hours, before the list.
    const blocks = await blocksFromTop(page);
    expect(blocks.slice(0, 4)).toEqual(["header", "p", "status", "edgedesk-ticket-list"]);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "status-notice-list");

    await page.getByRole("button", { name: "New ticket" }).click();
    const form = page.locator("edgedesk-ticket-form");
    await expect.poll(() => form.getByRole("status").filter({ hasText: MAIL_DELAYS.text }).count()).toBe(1);
    // Once on the page: the form's, right under its heading, and none above it.
    expect(await status.count()).toBe(1);
    expect(await form.locator("section > h2 + .status").count()).toBe(1);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "status-notice-form");
    await context.close();
  });

  it("says the severity and the end in Russian, in the dark theme too", async () => {
    const notice: PublicStatusNotice = { ...MAIL_DELAYS, severity: "maintenance", text: "Работы на vps7", affects: [] };
    const { page, context } = await panelWithNotice(notice, "ru");
    const status = page.getByRole("status").filter({ hasText: notice.text });
    await expect.poll(() => status.count()).toBe(1);
    expect(await status.textContent()).toMatch(new RegExp(`^${ru.notice_maintenance} ${notice.text}, до `));
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await context.close();
  });

  it("is not there when none is showing, and the demo's reseller shows the seeded maintenance", async () => {
    const alice = await openPanel(browser);
    expect(await alice.page.locator("edgedesk-tickets").locator(".status").count()).toBe(0);
    await alice.context.close();
    // A config fetched before the end, drawn after it (a page left open): not shown.
    const stale = await panelWithNotice({ ...MAIL_DELAYS, endsAt: new Date(Date.now() - 1000).toISOString() });
    expect(await stale.page.locator("edgedesk-tickets").locator(".status").count()).toBe(0);
    await stale.context.close();
    const carol = await openPanel(browser, { user: "carol" });
    const status = carol.page.getByRole("status").filter({ hasText: DEMO_STATUS_NOTICE.text });
    await expect.poll(() => status.count()).toBe(1);
    expect(await status.textContent()).toContain(en.notice_maintenance);
    await carol.context.close();
  });
});
