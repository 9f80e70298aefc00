import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enAttachments } from "../../widget/locales/en-attachments";
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

  it("inserts a canned reply with its placeholders filled, for the agent to edit and send with a file; the customer gets both", async () => {
    const title = `Greeting ${Date.now()}`;
    const created = await apiAs(newPerson("admin", "Cal Canned"), "POST", "/canned-replies", {
      title,
      body: "Hello {{customer.name}},\n\nabout ticket #{{ticket.number}}: …\n\n{{agent.name}}, {{tenant.name}}",
    });
    expect(created.status).toBe(201);
    const subject = `Canned answer wanted ${Date.now()}`;
    const customer = newPerson("customer", "Cy Customer");
    const ticket = await fileTicket(customer, subject);
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
    // A log file with the answer, through the same picker as the customer's.
    await page
      .locator("edgedesk-console input[type=file]")
      .setInputFiles([
        { name: "fsck-sdb.log", mimeType: "text/plain", buffer: Buffer.from("fsck: /dev/sdb1 clean\n") },
      ]);
    await expect
      .poll(() =>
        page.locator("edgedesk-console li.upload").filter({ hasText: "fsck-sdb.log" }).locator(".status").textContent(),
      )
      .toBe(enAttachments.uploaded);
    await page.getByRole("button", { name: enConsole.sendReply }).click();
    await expect.poll(() => page.getByText(/Kit Canned, .+ Edited\./).isVisible()).toBe(true);
    await context.close();
    // The customer's view of the ticket: the edited answer, with its file.
    const seen = (await (await apiAs(customer, "GET", `/tickets/${ticket.id}`)).json()) as {
      ticket: { messages: { body: string; attachments: { name: string }[] }[] };
    };
    const answer = seen.ticket.messages.at(-1);
    expect(answer?.body).toMatch(/^Hello Cy Customer,[\s\S]+ Edited\.$/);
    expect(answer?.attachments.map((a) => a.name)).toEqual(["fsck-sdb.log"]);
  });

  it("escalates from the console; the provider answers the reseller, never the customer, and both tickets show the link", async () => {
    const subject = `Disk failing on the reseller's box ${Date.now()}`;
    const eve = newPerson("customer", "Eve Enduser", "demo-reseller");
    const ticket = await fileTicket(eve, subject);
    const dana = newPerson("agent", "Dana Reseller", "demo-reseller");
    const reseller = await openConsole(browser, dana, { hash: `#ticket=${ticket.id}` });
    await ticketHeading(reseller.page, subject);
    await reseller.page.getByText("Escalate to Northwind Hosting").click();
    await reseller.page.getByLabel("Note for Northwind Hosting").fill("SMART errors on sdb; please swap the disk.");
    await reseller.page.getByRole("button", { name: enConsole.escalateSend, exact: true }).click();
    await expect
      .poll(() => reseller.page.getByRole("note").innerText())
      .toMatch(/^Escalated to Northwind Hosting as #\d+ \(Open\)\.$/);
    const number = Number(/#(\d+)/.exec(await reseller.page.getByRole("note").innerText())?.[1]);

    // The provider's agent finds the linked ticket, sees where it came from, and answers it.
    const pia = newPerson("agent", "Pia Provider");
    const found = (await (await apiAs(pia, "GET", `/queue?view=all&q=${number}`)).json()) as {
      tickets: { id: string; number: number }[];
    };
    const linked = found.tickets.find((t) => t.number === number);
    expect(linked).toBeDefined();
    const provider = await openConsole(browser, pia, { hash: `#ticket=${linked?.id}` });
    await expect
      .poll(() => provider.page.getByRole("note").innerText())
      .toMatch(new RegExp(`^Escalated by Bluebird Web, their ticket #${ticket.number} \\(On hold\\)\\.$`));
    const answer = `The disk is swapped; the array is rebuilding ${Date.now()}.`;
    await provider.page.getByLabel(enConsole.replyLabel).fill(answer);
    await provider.page.getByRole("button", { name: enConsole.sendReply }).click();
    await expect.poll(() => provider.page.getByText(answer).count()).toBeGreaterThan(0);
    await provider.context.close();

    // The reseller sees the answer as a note on its own ticket; the customer sees nothing of it.
    await reseller.page.reload();
    await ticketHeading(reseller.page, subject);
    await expect.poll(() => reseller.page.locator("edgedesk-ticket-thread article.note").innerText()).toContain(answer);
    await reseller.context.close();
    const seenByEve = await (await apiAs(eve, "GET", `/tickets/${ticket.id}`)).text();
    expect(seenByEve).not.toContain(answer);
    expect(seenByEve).not.toContain("Northwind");
  });
});
