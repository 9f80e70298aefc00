import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enConsole } from "../../widget/locales/en-console";
import { launchBrowser, runAxe, shadowText, summarize } from "./browser";
import { fileTicket, newPerson, openConsole, ticketHeading } from "./console-page";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the agent console with colleagues", () => {
  it("says when another agent has the ticket open and when they are typing", async () => {
    const subject = `Two agents, one ticket ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Cora Collision"), subject);
    const dana = await openConsole(browser, newPerson("agent", "Dana Second"), { hash: `#ticket=${ticket.id}` });
    await ticketHeading(dana.page, subject);
    const bob = await openConsole(browser, newPerson("agent", "Bob First"), { hash: `#ticket=${ticket.id}` });
    await ticketHeading(bob.page, subject);
    const notice = bob.page.locator("edgedesk-console-ticket .presence");
    await expect.poll(() => notice.innerText(), { timeout: 10_000 }).toContain("Dana Second is viewing this ticket.");
    await dana.page.keyboard.press("r");
    await dana.page.keyboard.type("Looking at the logs now");
    await expect.poll(() => notice.innerText(), { timeout: 10_000 }).toContain("Dana Second is typing a reply…");
    // Dana sends: Bob's view says the ticket changed, and shows the reply on request.
    await dana.page.getByRole("button", { name: enConsole.sendReply }).click();
    await expect
      .poll(() => shadowText(bob.page, "edgedesk-console-ticket"), { timeout: 10_000 })
      .toContain(enConsole.changedElsewhere);
    await bob.page.getByRole("button", { name: enConsole.showChanges }).click();
    await expect.poll(() => bob.page.getByText("Looking at the logs now").isVisible()).toBe(true);
    // Dana leaves: the notice goes.
    await dana.context.close();
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(0);
    await bob.context.close();
  });

  it("asks before sending a reply over a change the agent has not seen, and sends only when told", async () => {
    const subject = `Closed meanwhile ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Mia Meanwhile"), subject);
    const first = await openConsole(browser, newPerson("agent", "Flo First"), { hash: `#ticket=${ticket.id}` });
    await ticketHeading(first.page, subject);
    const second = await openConsole(browser, newPerson("agent", "Sid Second"), { hash: `#ticket=${ticket.id}` });
    await ticketHeading(second.page, subject);
    // Sid closes it while Flo writes.
    await second.page.getByLabel(enConsole.status, { exact: true }).selectOption("closed");
    await second.page
      .locator("edgedesk-console-ticket form.control", { has: second.page.locator("#c-status") })
      .getByRole("button", { name: enConsole.apply })
      .click();
    await expect.poll(() => second.page.locator("edgedesk-ticket-thread .badge").first().innerText()).toBe("Closed");
    const reply = `Have you tried the new DNS record? ${Date.now()}`;
    await first.page.getByLabel(enConsole.replyLabel).fill(reply);
    await first.page.getByRole("button", { name: enConsole.sendReply }).click();
    const anyway = first.page.getByRole("button", { name: enConsole.sendAnyway });
    await expect.poll(() => anyway.isVisible()).toBe(true);
    expect(await first.page.locator("edgedesk-ticket-thread #conflict").innerText()).toMatch(/Sid Second closed it/);
    expect(await anyway.evaluate((el) => el.matches(":focus"))).toBe(true);
    // Nothing was sent yet; the thread shows the change.
    expect(await first.page.getByText(reply, { exact: true }).count()).toBe(0);
    await expect.poll(() => first.page.locator("edgedesk-ticket-thread .badge").first().innerText()).toBe("Closed");
    expect(summarize(await runAxe(first.page, "edgedesk-console"))).toEqual([]);
    await anyway.click();
    await expect.poll(() => first.page.getByText(reply, { exact: true }).isVisible()).toBe(true);
    await first.context.close();
    await second.context.close();
  });

  it("shows an admin the Settings tab with the desk's settings and canned replies; an agent has no such tab", async () => {
    const admin = await openConsole(browser, newPerson("admin", "Ann Admin"));
    await admin.page.getByRole("link", { name: enConsole.tabSettings }).click();
    await expect.poll(() => admin.page.locator("edgedesk-console-settings").count()).toBe(1);
    await expect.poll(() => admin.page.locator("edgedesk-canned-replies").count()).toBe(1);
    expect(await admin.page.evaluate(() => location.hash)).toContain("tab=settings");
    await admin.context.close();
    const agent = await openConsole(browser, newPerson("agent", "Al Agent"));
    await expect.poll(() => agent.page.getByRole("link", { name: enConsole.tabQueue, exact: true }).count()).toBe(1);
    expect(await agent.page.getByRole("link", { name: enConsole.tabSettings, exact: true }).count()).toBe(0);
    await agent.context.close();
  });
});
