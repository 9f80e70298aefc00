import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../widget/locales/en";
import { ru } from "../../widget/locales/ru";
import { launchBrowser, openPanel, runAxe, screenshot, summarize } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const HOST = "IP address or hostname";
const REMOTE = "Remote Assistance enabled?";
const EMERGENCY = "Services down: email not processing";

async function newTicket(page: Page, label: string = en.newTicket): Promise<void> {
  await page.getByRole("button", { name: label }).click();
  await page.getByRole("heading", { name: label }).waitFor();
}

/** Whether the message guidance ("Please include:") is shown open. */
const guidanceOpen = (page: Page) => page.locator("edgedesk-ticket-form details#hint-message").getAttribute("open");

describe("the new-ticket form is short", () => {
  it("reveals a department's fields only for that department, and Remote Assistance offers only yes", async () => {
    const { page, context } = await openPanel(browser);
    await newTicket(page);
    const department = page.getByLabel(en.department);
    await department.selectOption("billing");
    expect(await page.getByLabel(HOST).count()).toBe(0);
    expect(await page.getByRole("group", { name: REMOTE }).count()).toBe(0);

    await department.selectOption("technical");
    expect(await page.getByLabel(HOST).isVisible()).toBe(true);
    const remote = page.getByRole("group", { name: REMOTE });
    // The server accepts only yes (mustBeYes): the form offers nothing else to pick.
    expect(await remote.getByRole("radio").count()).toBe(0);
    expect(await remote.getByRole("checkbox").count()).toBe(1);
    expect(await remote.getByRole("checkbox", { name: en.yes }).isChecked()).toBe(false);
    expect(await remote.getByText(en.no, { exact: true }).count()).toBe(0);
    expect(summarize(await runAxe(page))).toEqual([]);

    await department.selectOption("abuse");
    expect(await page.getByLabel(HOST).count()).toBe(0);
    await context.close();
  });

  it("shows the emergency definition beside the priority only when an emergency priority is picked", async () => {
    const { page, context } = await openPanel(browser);
    await newTicket(page);
    const priority = page.getByRole("group", { name: en.priority });
    await priority.getByRole("radio", { name: /^Low/ }).check();
    expect(await priority.getByText(EMERGENCY).count()).toBe(0);
    await priority.getByRole("radio", { name: /^Urgent/ }).check();
    expect(await priority.getByText(en.emergenciesTitle).isVisible()).toBe(true);
    expect(await priority.getByText(EMERGENCY).isVisible()).toBe(true);
    // Beside the choice: right under the priorities, not at the end of the form.
    const urgent = await priority.getByRole("radio", { name: /^Urgent/ }).boundingBox();
    const definition = await priority.getByText(en.emergenciesTitle).boundingBox();
    expect(definition && urgent && definition.y - urgent.y).toBeLessThan(150);
    await screenshot(page, "form-emergency");
    expect(summarize(await runAxe(page))).toEqual([]);
    await priority.getByRole("radio", { name: /^Medium/ }).check();
    expect(await priority.getByText(EMERGENCY).count()).toBe(0);
    await context.close();
  });

  it("shows the guidance open on the first visit, collapsed on the next and after a reload", async () => {
    const { page, context } = await openPanel(browser);
    await newTicket(page);
    expect(await guidanceOpen(page)).not.toBeNull();
    expect(await page.getByText("Steps to reproduce the problem").isVisible()).toBe(true);

    await page.getByRole("button", { name: en.myTickets }).click();
    await page.getByRole("heading", { name: en.myTickets }).waitFor();
    await newTicket(page);
    expect(await guidanceOpen(page)).toBeNull();
    expect(await page.getByText("Steps to reproduce the problem").isVisible()).toBe(false);
    // Still there for whoever wants it.
    await page.getByText(en.messageHint).click();
    expect(await page.getByText("Steps to reproduce the problem").isVisible()).toBe(true);

    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await newTicket(page);
    expect(await guidanceOpen(page)).toBeNull();
    expect(summarize(await runAxe(page))).toEqual([]);
    await context.close();
  });

  it("does the same in Russian, axe-clean in the dark theme", async () => {
    const { page, context } = await openPanel(browser, { lang: "ru", dark: true });
    await newTicket(page, ru.newTicket);
    await page.getByLabel(ru.department).selectOption("technical");
    const remote = page.getByRole("group", { name: "Удалённая помощь включена?" });
    expect(await remote.getByRole("checkbox", { name: ru.yes }).count()).toBe(1);
    expect(await remote.getByRole("radio").count()).toBe(0);
    const priority = page.getByRole("group", { name: ru.priority });
    await priority.getByRole("radio", { name: new RegExp(`^${ru.priority_urgent}`) }).check();
    expect(await priority.getByText(ru.emergenciesTitle).isVisible()).toBe(true);
    expect(await priority.getByText(/^Сервисы не работают/).isVisible()).toBe(true);
    expect(await guidanceOpen(page)).not.toBeNull();
    expect(summarize(await runAxe(page))).toEqual([]);
    await context.close();
  });
});
