/**
 * Failures and confirmations where the person is looking: a failed send says so next to the
 * button that failed, with Retry, and focus goes there; a failed load offers Retry in place of
 * the view; sending, voting and closing say they worked, visibly. Failures are made by routing
 * the widget's requests (page.route) to a 500 or a dropped connection.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { en } from "../../widget/locales/en";
import { enThread } from "../../widget/locales/en-thread";
import { ru, ruThread } from "../../widget/locales/ru";
import { fileTicket, messageBodies } from "./alice";
import { launchBrowser, runAxe, screenshot, summarize, ticketRow } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The demo panel as Alice; `before` routes requests before the page loads. */
async function open(
  options: { lang?: string; dark?: boolean; before?: (context: BrowserContext) => Promise<unknown> } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 800 },
    colorScheme: options.dark ? "dark" : "light",
  });
  await options.before?.(context);
  const page = await context.newPage();
  const params = new URLSearchParams({ user: "alice", ...(options.lang && { lang: options.lang }) });
  await page.goto(`${demoUrl}/demo/?${params}`);
  return { page, context };
}

const DETAIL = "The database is busy.";
/** Answers the request with a 500 problem, as the Worker does when something breaks. */
const fail = (route: Parameters<Parameters<Page["route"]>[1]>[0]) =>
  route.fulfill({
    status: 500,
    contentType: "application/problem+json",
    body: JSON.stringify({ type: "about:blank", title: "Internal error", status: 500, detail: DETAIL }),
  });

/** Routes `method` requests to `url` to `failure` until the returned function is called. */
async function failWhile(
  page: Page,
  url: string,
  method: string,
  failure: "500" | "abort" = "500",
): Promise<() => Promise<void>> {
  await page.route(url, (route) =>
    route.request().method() !== method
      ? route.fallback()
      : failure === "500"
        ? fail(route)
        : route.abort("connectionreset"),
  );
  return () => page.unroute(url);
}

/** The element that has focus, through shadow roots: its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return `${element?.tagName.toLowerCase()} ${element?.textContent?.trim()}`;
  });

/** The notice is in the viewport, right under the control (within 80 px), overlapping it sideways. */
async function expectBeside(page: Page, notice: Locator, control: Locator): Promise<void> {
  const [n, c] = [await notice.boundingBox(), await control.boundingBox()];
  const viewport = page.viewportSize();
  if (!n || !c || !viewport) throw new Error("notice or control not shown");
  expect(n.y).toBeGreaterThanOrEqual(0);
  expect(n.y + n.height).toBeLessThanOrEqual(viewport.height);
  expect(n.y - (c.y + c.height)).toBeGreaterThanOrEqual(0);
  expect(n.y - (c.y + c.height)).toBeLessThanOrEqual(80);
  expect(n.x).toBeLessThan(c.x + c.width);
  expect(n.x + n.width).toBeGreaterThan(c.x);
}

const alert = (page: Page) => page.locator("edgedesk-tickets [role=alert]");
const confirmation = (page: Page) => page.locator("edgedesk-tickets .notice.ok");

async function openThread(page: Page, subject: string): Promise<void> {
  await (await ticketRow(page, subject)).click();
  await page.locator("edgedesk-tickets #reply").waitFor();
}

describe("a failed send, next to the button that failed", () => {
  it("shows a failed reply under Send reply with Retry, focused; Retry posts it once and says so", async () => {
    const subject = `Reply fails once ${Date.now()}`;
    const ticketId = await fileTicket(subject);
    const { page, context } = await open();
    await openThread(page, subject);
    await page.getByLabel(enThread.reply).fill("The cart page too.");
    const recover = await failWhile(page, `**/api/v1/demo/tickets/${ticketId}/messages`, "POST");
    const send = page.getByRole("button", { name: enThread.sendReply });
    await send.click();
    await expect.poll(() => alert(page).textContent()).toContain(DETAIL);
    await expect.poll(() => focused(page)).toBe(`button ${en.retry}`);
    await expectBeside(page, alert(page), send);
    expect(await alert(page).count()).toBe(1); // not also at the top
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "reply-failed");

    await recover();
    await page.keyboard.press("Enter");
    await expect.poll(() => confirmation(page).textContent()).toBe(enThread.replySent);
    await expectBeside(page, confirmation(page), send);
    expect(await alert(page).count()).toBe(0);
    expect(await messageBodies(ticketId)).toEqual(["First message.", "The cart page too."]);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await context.close();
  });

  it("shows a failed new ticket under Send ticket with Retry, focused; Retry files it", async () => {
    const { page, context } = await open();
    await page.getByRole("button", { name: en.newTicket }).click();
    await page.getByLabel(en.department).selectOption("billing");
    await page.getByLabel(en.subject).fill(`Form fails once ${Date.now()}`);
    await page.getByLabel(en.message).fill("The invoice is wrong.");
    const recover = await failWhile(page, "**/api/v1/demo/tickets", "POST", "abort");
    const submit = page.getByRole("button", { name: en.submit });
    await submit.click();
    await expect.poll(() => alert(page).textContent()).toContain(en.networkError);
    await expect.poll(() => focused(page)).toBe(`button ${en.retry}`);
    await expectBeside(page, alert(page), submit);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "form-failed");
    await recover();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("heading", { name: /Ticket #\d+ received/ }).isVisible()).toBe(true);
    await context.close();
  });

  it("shows a failed close next to Close ticket; Retry closes it and the change is confirmed", async () => {
    const subject = `Close fails once ${Date.now()}`;
    const ticketId = await fileTicket(subject);
    const { page, context } = await open();
    await openThread(page, subject);
    const recover = await failWhile(page, `**/api/v1/demo/tickets/${ticketId}`, "PATCH");
    const close = page.getByRole("button", { name: enThread.closeTicket });
    await close.click();
    await expect.poll(() => alert(page).textContent()).toContain(DETAIL);
    await expect.poll(() => focused(page)).toBe(`button ${en.retry}`);
    await expectBeside(page, alert(page), close);
    await recover();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => confirmation(page).textContent())
      .toBe(enThread.statusChanged.replace("{status}", en.status_closed));
    await expectBeside(page, confirmation(page), page.getByRole("button", { name: enThread.reopenTicket }));
    await context.close();
  });

  it("shows a failed vote under the vote buttons; Retry saves it and thanks the person", async () => {
    const { page, context } = await open();
    await openThread(page, "500 Error on example.com");
    const recover = await failWhile(page, "**/api/v1/demo/messages/*/feedback", "POST", "abort");
    const group = page.getByRole("group", { name: enThread.helpfulQuestion });
    await group.getByRole("button", { name: en.yes }).click();
    await expect.poll(() => alert(page).textContent()).toContain(en.networkError);
    await expect.poll(() => focused(page)).toBe(`button ${en.retry}`);
    await expectBeside(page, alert(page), group);
    await recover();
    await page.keyboard.press("Enter");
    await expect.poll(() => confirmation(page).textContent()).toBe(enThread.voteSaved);
    await expectBeside(page, confirmation(page), group);
    await context.close();
  });

  it("is axe-clean in Russian and dark, with the failure and after the confirmation", async () => {
    const subject = `Russian failure ${Date.now()}`;
    const ticketId = await fileTicket(subject);
    const { page, context } = await open({ lang: "ru", dark: true });
    await openThread(page, subject);
    await page.getByLabel(ruThread.reply).fill("Ещё и корзина.");
    const recover = await failWhile(page, `**/api/v1/demo/tickets/${ticketId}/messages`, "POST");
    await page.getByRole("button", { name: ruThread.sendReply }).click();
    await expect.poll(() => focused(page)).toBe(`button ${ru.retry}`);
    expect(await alert(page).textContent()).toContain(DETAIL);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "reply-failed-ru-dark");
    await recover();
    await page.keyboard.press("Enter");
    await expect.poll(() => confirmation(page).textContent()).toBe(ruThread.replySent);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await context.close();
  });
});

describe("a failed load", () => {
  it("shows the /config failure with Retry instead of a blank box, and Retry brings up the list", async () => {
    let failures = 1;
    const { page, context } = await open({
      before: (context) =>
        context.route("**/api/v1/demo/config", (route) => (failures-- > 0 ? fail(route) : route.fallback())),
    });
    await expect.poll(() => alert(page).textContent()).toContain(DETAIL);
    expect(await page.locator("edgedesk-tickets").getByText(en.loading).count()).toBe(0);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await screenshot(page, "config-failed");
    await alert(page).getByRole("button", { name: en.retry }).click();
    await page.locator("edgedesk-tickets .ticket").first().waitFor();
    expect(await alert(page).count()).toBe(0);
    await context.close();
  });

  it("shows the list's failure with Retry in place of the list, and Retry loads it", async () => {
    let failures = 1;
    const { page, context } = await open({
      before: (context) =>
        context.route("**/api/v1/demo/tickets?*", (route) =>
          failures-- > 0 ? route.abort("connectionreset") : route.fallback(),
        ),
    });
    await expect.poll(() => alert(page).textContent()).toContain(en.networkError);
    await page.getByRole("heading", { name: en.myTickets }).waitFor();
    expect(await page.locator("edgedesk-tickets").getByText(en.loading).count()).toBe(0);
    await alert(page).getByRole("button", { name: en.retry }).click();
    await page.locator("edgedesk-tickets .ticket").first().waitFor();
    expect(await alert(page).count()).toBe(0);
    await context.close();
  });
});
