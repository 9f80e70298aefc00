import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enConsole } from "../../widget/locales/en-console";
import { launchBrowser } from "./browser";
import { apiAs, fileTicket, newPerson, openConsole, ticketHeading } from "./console-page";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("acting on a ticket in the console", () => {
  it("reveals the sensitive value on a click, for a minute, and the audit log records who did", async () => {
    const subject = `Root password inside ${Date.now()}`;
    const secret = `hunter2-${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Sam Secret"), subject, { sensitive: secret });
    const agent = newPerson("agent", "Rae Revealer");
    const { page, context } = await openConsole(browser, agent, { hash: `#ticket=${ticket.id}` });
    await ticketHeading(page, subject);
    expect(await page.getByText(secret).count()).toBe(0);
    await page.getByRole("button", { name: enConsole.reveal }).click();
    await expect.poll(() => page.getByText(secret).isVisible()).toBe(true);
    expect(await page.getByText(/Hidden again in (59|60) s\./).isVisible()).toBe(true);
    await page.getByRole("button", { name: enConsole.hide }).click();
    expect(await page.getByText(secret).count()).toBe(0);
    const audit = await apiAs(newPerson("admin", "Aud Admin"), "GET", `/audit?ticket=${ticket.id}`);
    expect(audit.status).toBe(200);
    const { entries } = (await audit.json()) as { entries: { action: string; actor: { id: string } }[] };
    expect(entries.filter((e) => e.action === "reveal").map((e) => e.actor.id)).toEqual([agent.sub]);
    await context.close();
  });

  it("inserts a canned reply with its placeholders filled, for the agent to edit before sending", async () => {
    const title = `Greeting ${Date.now()}`;
    const created = await apiAs(newPerson("admin", "Cal Canned"), "POST", "/canned-replies", {
      title,
      body: "Hello {{customer.name}},\n\nabout ticket #{{ticket.number}}: …\n\n{{agent.name}}, {{tenant.name}}",
    });
    expect(created.status).toBe(201);
    const subject = `Canned answer wanted ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Cy Customer"), subject);
    const agent = newPerson("agent", "Kit Canned");
    const { page, context } = await openConsole(browser, agent, { hash: `#ticket=${ticket.id}` });
    await ticketHeading(page, subject);
    await page.getByRole("button", { name: `${enConsole.cannedInsert}: ${title}` }).click();
    const box = page.getByLabel(enConsole.replyLabel);
    await expect
      .poll(() => box.inputValue())
      .toMatch(new RegExp(`^Hello Cy Customer,\\n\\nabout ticket #${ticket.number}: …\\n\\nKit Canned, .+$`));
    expect(await box.evaluate((el) => el.matches(":focus"))).toBe(true);
    await box.press("End");
    await box.pressSequentially(" Edited.");
    await page.getByRole("button", { name: enConsole.sendReply }).click();
    await expect.poll(() => page.getByText(/Kit Canned, .+ Edited\./).isVisible()).toBe(true);
    await context.close();
  });

  it("shows the link on both tickets of an escalation: the reseller's and the provider's", async () => {
    const subject = `Disk failing on the reseller's box ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Eve Enduser", "demo-reseller"), subject);
    const dana = newPerson("agent", "Dana Reseller", "demo-reseller");
    const escalated = await apiAs(dana, "POST", `/tickets/${ticket.id}/escalate`, { note: "SMART errors on sdb." });
    expect(escalated.status).toBe(201);
    const { escalation } = (await escalated.json()) as { escalation: { ticketId: string; number: number } };
    const reseller = await openConsole(browser, dana, { hash: `#ticket=${ticket.id}` });
    await ticketHeading(reseller.page, subject);
    await expect
      .poll(() => reseller.page.getByRole("note").innerText())
      .toMatch(new RegExp(`^Escalated to .+ as #${escalation.number} \\(Open\\)\\.$`));
    await reseller.context.close();
    const provider = await openConsole(browser, newPerson("agent", "Pia Provider"), {
      hash: `#ticket=${escalation.ticketId}`,
    });
    await expect
      .poll(() => provider.page.getByRole("note").innerText())
      .toMatch(new RegExp(`^Escalated by Bluebird Web, their ticket #${ticket.number} \\(On hold\\)\\.$`));
    await provider.context.close();
  });
});
