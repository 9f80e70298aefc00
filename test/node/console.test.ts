import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { COUNTS_EVERY_MS } from "../../widget/console/types";
import type {} from "../../widget/events";
import { enConsole } from "../../widget/locales/en-console";
import type { TicketDetail } from "../../widget/types";
import { launchBrowser, openPanel, runAxe, screenshot, shadowText, summarize, wordsSplitAcrossLines } from "./browser";
import { apiAs, escapeRegExp, fileTicket, newPerson, openConsole, readTicket, ticketHeading } from "./console-page";

let browser: Browser;
/** The console's entry, gzipped (level 9): the queue and the shell; the ticket view is a chunk (17,162 B on 2026-11-30). */
const CONSOLE_ENTRY_BUDGET = 20 * 1024;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the agent console", () => {
  it("is its own bundle, cached like the widget's entry, which the customer's panel never loads", async () => {
    const entry = await fetch(`${inject("demoUrl")}/widget/edgedesk-console.js`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(entry.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    const script = await entry.text();
    expect(script).toContain("edgedesk-console");
    // The queue is the first view: the ticket view and the thread come in a chunk of their own.
    expect(gzipSync(script, { level: 9 }).length).toBeLessThanOrEqual(CONSOLE_ENTRY_BUDGET);
    const { page, context } = await openPanel(browser, { user: "alice" });
    const loaded: string[] = [];
    page.on("request", (r) => loaded.push(new URL(r.url()).pathname));
    await page.locator("edgedesk-tickets .ticket").first().click();
    await expect.poll(() => page.locator("edgedesk-ticket-thread h2").count()).toBe(1);
    expect(loaded.filter((path) => path.includes("console"))).toEqual([]);
    expect(await page.evaluate(() => customElements.get("edgedesk-console"))).toBeUndefined();
    await context.close();
  });

  it("loads for an agent's token and shows the saved views with their counts", async () => {
    const customer = newPerson("customer", "Vera Queue");
    await fileTicket(customer, `Counted ticket ${Date.now()}`);
    const { page, context } = await openConsole(browser, newPerson("agent", "Quinn Agent"));
    const views = page.getByRole("navigation", { name: enConsole.views });
    for (const view of ["Mine", "Unassigned", "Open", "Waiting on customer", "On hold", "Emergencies", "All"])
      await expect.poll(() => views.getByRole("link", { name: new RegExp(`^${view} \\d+\\+?$`) }).count()).toBe(1);
    // A ticket nobody has taken is counted in Unassigned.
    const unassigned = await views.getByRole("link", { name: /^Unassigned \d+\+?$/ }).innerText();
    expect(Number(/(\d+)\+?$/.exec(unassigned.trim())?.[1])).toBeGreaterThan(0);
    expect(await page.getByRole("table").isVisible()).toBe(true);
    // With the queue on screen, the ticket view's chunk follows, so that opening a ticket does not wait.
    await expect
      .poll(() => page.evaluate(() => customElements.get("edgedesk-console-ticket") !== undefined))
      .toBe(true);
    expect(summarize(await runAxe(page, "edgedesk-console"))).toEqual([]);
    await screenshot(page, "console-queue");
    await context.close();
  });

  it("counts tickets that arrive while the queue is on screen, without a reload", async () => {
    const agent = newPerson("agent", "Cora Counter");
    const { page, context } = await openConsole(browser, agent, { fakeClock: true });
    const mine = page.getByRole("navigation", { name: enConsole.views }).getByRole("link", { name: /^Mine \d+$/ });
    await expect.poll(() => mine.innerText()).toMatch(/\b0$/);
    const ticket = await fileTicket(newPerson("customer", "Nils Later"), `Counted later ${Date.now()}`);
    expect((await apiAs(agent, "PATCH", `/tickets/${ticket.id}`, { assignee: agent.sub })).status).toBe(200);
    // Nothing asks before the minute is up; then the count moves on its own.
    await page.clock.fastForward(COUNTS_EVERY_MS - 1_000);
    expect(await mine.innerText()).toMatch(/\b0$/);
    await page.clock.fastForward(1_000);
    await expect.poll(() => mine.innerText()).toMatch(/\b1$/);
    await context.close();
  });

  it("opens a ticket from the Unassigned view and assigns it to the agent", async () => {
    const subject = `Unassigned mail bounce ${Date.now()}`;
    await fileTicket(newPerson("customer", "Uma Requester"), subject);
    const agent = newPerson("agent", "Ada Assigner");
    const { page, context } = await openConsole(browser, agent, {
      hash: `#view=unassigned&q=${encodeURIComponent(subject)}`,
    });
    await page.getByRole("link", { name: subject }).click();
    await ticketHeading(page, subject);
    expect(await page.evaluate(() => location.hash)).toMatch(/ticket=/);
    await page.getByRole("button", { name: enConsole.assignToMe }).click();
    await expect.poll(() => page.getByLabel(enConsole.assignee, { exact: true }).inputValue()).toBe(agent.sub);
    await expect
      .poll(() => page.locator("edgedesk-ticket-thread details").innerText())
      .toContain(`Assignee: — → ${agent.name}, by ${agent.name}`);
    // Back in the queue, the ticket has left Unassigned.
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("link", { name: subject }).count()).toBe(0);
    await context.close();
  });

  it("writes an internal note that staff see as a note and the customer's widget never shows", async () => {
    const subject = `Note only for staff ${Date.now()}`;
    const alice = {
      sub: "cust-1001",
      name: "Alice Moreno",
      email: "alice@example.com",
      role: "customer" as const,
      tenant: "demo" as const,
    };
    // Alice's own ticket, so that her widget in the demo panel can be checked afterwards.
    const own = await fileTicket(alice, subject);
    const { page, context } = await openConsole(browser, newPerson("agent", "Nate Noter"), {
      hash: `#ticket=${own.id}`,
    });
    await ticketHeading(page, subject);
    await page.keyboard.press("n");
    await expect
      .poll(() =>
        page.getByLabel(enConsole.noteLabel).evaluate((el) => el === document.activeElement || el.matches(":focus")),
      )
      .toBe(true);
    const note = `Customer is on the legacy plan; check the invoice run ${Date.now()}`;
    await page.getByLabel(enConsole.noteLabel).fill(note);
    await page.getByRole("button", { name: enConsole.sendNote }).click();
    const shown = page.locator("edgedesk-ticket-thread article.note");
    await expect.poll(() => shown.innerText()).toContain(note);
    expect(await shown.innerText()).toContain("Internal note");
    // The note changed nothing the customer sees: not the status, not the thread.
    const staffView = (await (await readTicket(alice, own.id)).json()) as { ticket: TicketDetail };
    expect(staffView.ticket.status).toBe("open");
    expect(JSON.stringify(staffView.ticket.messages)).not.toContain(note);
    const panel = await openPanel(browser, { user: "alice" });
    await panel.page.locator("edgedesk-tickets .ticket", { hasText: subject }).first().click();
    await expect
      .poll(() => panel.page.getByRole("heading", { name: new RegExp(escapeRegExp(subject)) }).isVisible())
      .toBe(true);
    expect(await panel.page.locator("edgedesk-ticket-thread").innerText()).not.toContain(note);
    await panel.context.close();
    await context.close();
  });

  it("replies and puts the ticket on hold with a reason in one step", async () => {
    const subject = `Waiting for the registrar ${Date.now()}`;
    const customer = newPerson("customer", "Hal Holder");
    const ticket = await fileTicket(customer, subject);
    const { page, context } = await openConsole(browser, newPerson("agent", "Otto Onhold"), {
      hash: `#view=open&ticket=${ticket.id}`,
    });
    await ticketHeading(page, subject);
    await page.keyboard.press("r");
    const reply = `We have asked the registrar to unlock the domain ${Date.now()}`;
    await page.getByLabel(enConsole.replyLabel).fill(reply);
    await page.getByLabel(enConsole.after).selectOption("on_hold");
    await page.getByLabel(enConsole.holdReason).fill("waiting for the registrar");
    await page.getByRole("button", { name: enConsole.sendHold }).click();
    await expect.poll(() => page.getByText(reply).isVisible()).toBe(true);
    await expect.poll(() => page.locator("edgedesk-ticket-thread .badge").first().innerText()).toBe("On hold");
    expect(await page.locator("edgedesk-ticket-thread details").innerText()).toContain("waiting for the registrar");
    // The customer reads the reply, not the staff's reason.
    const seen = (await (await readTicket(customer, ticket.id)).json()) as { ticket: TicketDetail };
    expect(seen.ticket.status).toBe("on_hold");
    expect(seen.ticket.messages.map((m) => m.body)).toContain(reply);
    await context.close();
  });

  it("keeps the open ticket in the URL: a reload and a pasted link land on it, Back returns to the view", async () => {
    const subject = `Hash round trip ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Rita Reload"), subject);
    const agent = newPerson("agent", "Lou Linker");
    const { page, context } = await openConsole(browser, agent, {
      hash: `#view=all&q=${encodeURIComponent(subject)}`,
    });
    const queueHash = await page.evaluate(() => location.hash);
    await page.getByRole("link", { name: subject }).click();
    await ticketHeading(page, subject);
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain(`ticket=${ticket.id}`);
    await page.reload();
    await ticketHeading(page, subject);
    await page.goBack();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(queueHash);
    await expect.poll(() => page.getByRole("link", { name: subject }).isVisible()).toBe(true);
    // A colleague's browser, from the pasted address.
    const pasted = await openConsole(browser, newPerson("agent", "Pat Pasted"), { hash });
    await ticketHeading(pasted.page, subject);
    await pasted.context.close();
    await context.close();
  });

  it("moves through the queue with j and k, opens with Enter and lists the shortcuts on ?", async () => {
    const word = `kbd${Date.now()}`;
    const customer = newPerson("customer", "Kim Keys");
    await fileTicket(customer, `First ${word}`);
    await fileTicket(customer, `Second ${word}`);
    const kai = newPerson("agent", "Kai Keyboard");
    const { page, context } = await openConsole(browser, kai, {
      hash: `#view=all&q=${word}`,
    });
    await expect.poll(() => page.locator("edgedesk-console-queue tbody tr").count()).toBe(2);
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent ?? "";
      });
    await page.keyboard.press("j");
    await expect.poll(focused).toBe(`Second ${word}`);
    await page.keyboard.press("j");
    await expect.poll(focused).toBe(`First ${word}`);
    await page.keyboard.press("k");
    await expect.poll(focused).toBe(`Second ${word}`);
    await page.keyboard.press("Enter");
    await ticketHeading(page, `Second ${word}`);
    await page.keyboard.press("a");
    await expect.poll(() => page.getByLabel(enConsole.assignee, { exact: true }).inputValue()).toBe(kai.sub);
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: enConsole.shortcuts });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain(enConsole.key_a);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // Typing in a field is typing, not a shortcut.
    await page.keyboard.press("r");
    await page.keyboard.type("jk?");
    expect(await page.getByLabel(enConsole.replyLabel).inputValue()).toBe("jk?");
    expect(await dialog.isVisible()).toBe(false);
    await context.close();
  });

  it("shows a failed change next to its control, with the problem's detail, and moves focus there", async () => {
    const subject = `Bad assignee ${Date.now()}`;
    const ticket = await fileTicket(newPerson("customer", "Bea Badinput"), subject);
    const { page, context } = await openConsole(browser, newPerson("agent", "Eli Errors"), {
      hash: `#ticket=${ticket.id}`,
    });
    await ticketHeading(page, subject);
    // A department the tenant does not have, as a stale page might still offer.
    await page.getByLabel(enConsole.department, { exact: true }).evaluate((select) => {
      if (!(select instanceof HTMLSelectElement)) throw new Error("not a select");
      select.add(new Option("Gone", "gone"));
      select.value = "gone";
    });
    await page
      .locator("edgedesk-console-ticket form.control", { has: page.locator("#c-department") })
      .getByRole("button", { name: enConsole.apply })
      .click();
    const error = page.locator("#c-department-error");
    await expect.poll(() => error.isVisible()).toBe(true);
    expect((await error.innerText()).length).toBeGreaterThan(5);
    expect(await error.evaluate((el) => el.matches(":focus"))).toBe(true);
    expect(summarize(await runAxe(page, "edgedesk-console"))).toEqual([]);
    await context.close();
  });

  for (const [label, options] of [
    ["dark", { dark: true }],
    ["Russian", { lang: "ru" }],
  ] as const)
    it(`finds no violations on the queue, the ticket and the reply box with an error (${label})`, async () => {
      const subject = `Axe ${label} ${Date.now()}`;
      const ticket = await fileTicket(newPerson("customer", "Ola Axe"), subject);
      const { page, context } = await openConsole(browser, newPerson("agent", "Ari Axe"), {
        ...options,
        hash: `#view=all&q=${encodeURIComponent(subject)}`,
      });
      await expect.poll(() => page.locator("edgedesk-console-queue tbody tr").count()).toBe(1);
      expect(summarize(await runAxe(page, "edgedesk-console"))).toEqual([]);
      await page.evaluate((id) => {
        location.hash = `#view=all&ticket=${id}`;
      }, ticket.id);
      await ticketHeading(page, subject);
      // The controls beside the thread keep their labels whole ("Save", not "Sav" / "e").
      expect(await wordsSplitAcrossLines(page, "edgedesk-console button")).toEqual([]);
      // Sent empty: the reply box shows its error.
      await page.locator("edgedesk-ticket-thread form button[type=submit]").click();
      await expect.poll(() => page.locator("edgedesk-ticket-thread #reply-error").isVisible()).toBe(true);
      expect(summarize(await runAxe(page, "edgedesk-console"))).toEqual([]);
      if (label === "Russian") {
        const text = await shadowText(page, "edgedesk-console");
        expect(text).toContain("Консоль поддержки");
        expect(text).toContain("Обращение");
      }
      await screenshot(page, `console-ticket-${label === "dark" ? "dark" : "ru"}`);
      await context.close();
    });
});
