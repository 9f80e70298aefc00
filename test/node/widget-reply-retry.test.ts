import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../widget/locales/en";
import { enThread } from "../../widget/locales/en-thread";
import { fileTicket, messageBodies } from "./alice";
import { launchBrowser, openPanel } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openThread(page: Page, subject: string): Promise<void> {
  await page.getByRole("button", { name: "My tickets" }).click();
  await page.getByRole("button", { name: new RegExp(subject) }).click();
  await page.getByLabel(enThread.reply).waitFor();
}

/** Sends the reply; the server stores it, and its answer is lost on the way back. */
async function replyAndLoseTheAnswer(page: Page, ticketId: string): Promise<void> {
  await page.route(`**/api/v1/demo/tickets/${ticketId}/messages`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    await route.fetch();
    await route.abort("connectionreset");
  });
  await page.getByRole("button", { name: enThread.sendReply }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toContain(en.networkError);
  await page.unroute(`**/api/v1/demo/tickets/${ticketId}/messages`);
}

describe("a reply whose answer was lost", () => {
  it("keeps the draft, restores it after a reload, and sending again posts it once", async () => {
    const subject = `Reply retried ${Date.now()}`;
    const ticketId = await fileTicket(subject);
    const { page, context } = await openPanel(browser);
    await openThread(page, subject);
    await page.getByLabel(enThread.reply).fill("The cart page too.");
    await replyAndLoseTheAnswer(page, ticketId);
    expect(await page.getByLabel(enThread.reply).inputValue()).toBe("The cart page too.");

    // The reload lands on the same ticket (its place is in the URL), the draft in the reply box.
    await page.reload();
    await page.getByLabel(enThread.reply).waitFor();
    expect(await page.getByLabel(enThread.reply).inputValue()).toBe("The cart page too.");
    await page.getByRole("button", { name: enThread.sendReply }).click();
    await expect.poll(() => page.getByLabel(enThread.reply).inputValue()).toBe("");

    // The retry carried the draft's Idempotency-Key: the reply the lost answer was about, once.
    expect(await messageBodies(ticketId)).toEqual(["First message.", "The cart page too."]);
    await context.close();
  });

  it("says so when the draft is edited and sent again, instead of posting the earlier text twice", async () => {
    const subject = `Reply edited after a lost answer ${Date.now()}`;
    const ticketId = await fileTicket(subject);
    const { page, context } = await openPanel(browser);
    await openThread(page, subject);
    await page.getByLabel(enThread.reply).fill("The cart page too.");
    await replyAndLoseTheAnswer(page, ticketId);
    await page.getByLabel(enThread.reply).fill("The cart page too, and the admin area.");
    await page.getByRole("button", { name: enThread.sendReply }).click();

    await expect.poll(() => page.locator("edgedesk-tickets #reply-error").textContent()).toBe(enThread.alreadySent);
    expect(await page.getByLabel(enThread.reply).inputValue()).toBe("The cart page too, and the admin area.");
    expect(await messageBodies(ticketId)).toEqual(["First message.", "The cart page too."]);
    // Sent deliberately again, it is a new reply.
    await page.getByRole("button", { name: enThread.sendReply }).click();
    await expect.poll(() => page.getByLabel(enThread.reply).inputValue()).toBe("");
    expect(await messageBodies(ticketId)).toEqual([
      "First message.",
      "The cart page too.",
      "The cart page too, and the admin area.",
    ]);
    await context.close();
  });
});
