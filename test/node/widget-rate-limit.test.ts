import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../widget/locales/en";
import { enAttachments } from "../../widget/locales/en-attachments";
import { ru } from "../../widget/locales/ru";
import { launchBrowser, openPanel } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The Worker's answer past a rate limit (test/worker/rate-limits.test.ts makes real ones). */
const tooMany = {
  status: 429,
  headers: { "content-type": "application/problem+json", "retry-after": "60" },
  body: JSON.stringify({
    type: "https://edgedesk.dev/problems/rate-limited",
    title: "Too many requests",
    status: 429,
    code: "rate_limited",
    detail: "Too many requests; try again in 60 seconds.",
  }),
};

describe("past a rate limit", () => {
  for (const lang of ["en", "ru"] as const) {
    it(`says when the person may try again, and keeps the form (${lang})`, async () => {
      const { page, context } = await openPanel(browser, { lang });
      await page.route("**/api/v1/demo/tickets", (route) =>
        route.request().method() === "POST" ? route.fulfill(tooMany) : route.continue(),
      );
      const strings = lang === "en" ? en : ru;
      await page.getByRole("button", { name: strings.newTicket }).click();
      await page.getByLabel(strings.department).selectOption("billing");
      await page.getByLabel(strings.subject).fill("Invoice question");
      await page.getByLabel(strings.message).fill("Why was I charged twice?");
      await page.getByRole("button", { name: strings.submit }).click();

      const expected = strings.tooManyRequests.replace("{seconds}", "60");
      await expect.poll(() => page.getByRole("alert").textContent()).toContain(expected);
      expect(await page.getByLabel(strings.subject).inputValue()).toBe("Invoice question");
      await context.close();
    });
  }

  it("says when an upload may be tried again", async () => {
    const { page, context } = await openPanel(browser);
    await page.route("**/api/v1/demo/uploads?*", (route) => route.fulfill(tooMany));
    await page.getByRole("button", { name: en.newTicket }).click();
    await page.getByLabel(en.department).selectOption("billing");
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([{ name: "invoice.txt", mimeType: "text/plain", buffer: Buffer.from("Invoice 42\n") }]);

    await expect
      .poll(() =>
        page.locator("edgedesk-tickets li.upload").filter({ hasText: "invoice.txt" }).locator(".error").textContent(),
      )
      .toBe(enAttachments.tooManyUploads.replace("{seconds}", "60"));
    await context.close();
  });
});
