import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { enStatus } from "../../widget/locales/en-status";
import { ruStatus } from "../../widget/locales/ru-status";
import type { TicketDetailResponse } from "../../worker/schemas/ticket";
import { launchBrowser, openPanel, runAxe, screenshot, summarize } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A request to the demo's API as one of its people (alice the customer, bob the agent). */
async function call<T = unknown>(user: string, method: string, path: string, body?: unknown): Promise<T> {
  const token = await (await fetch(`${demoUrl}/demo/token/${user}`)).text();
  const res = await fetch(`${demoUrl}/api/v1/demo${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const SECRET = "hunter2-root-password";

/** Alice files a ticket with a unique subject (technical, about her web hosting, urgent, with a secret unless `billing`). */
async function fileTicket(
  label: string,
  options: { billing?: boolean } = {},
): Promise<{ id: string; subject: string }> {
  const subject = `${label} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const body = options.billing
    ? { department: "billing", subject, message: "Why was I charged twice?", priority: "low", fields: {} }
    : {
        department: "technical",
        subject,
        message: "Every page answers 500 since the update.",
        priority: "urgent",
        serviceId: "svc-web-1",
        fields: { host: "shop.example.com", remote_assistance: true },
        sensitive: SECRET,
      };
  const created = await call<{ ticket: { id: string } }>("alice", "POST", "/tickets", body);
  return { id: created.ticket.id, subject };
}

const answer = (id: string) => call("bob", "POST", `/tickets/${id}/messages`, { body: "Fixed: the cache was stale." });

/** Opens the ticket from the list of the panel the page shows, once the list is fresh (a row may move when it loads). */
async function openTicket(page: Page, subject: string): Promise<void> {
  const listed = page.waitForResponse((r) => /\/api\/v1\/demo\/tickets\?/.test(r.url()));
  await page.getByRole("button", { name: /My tickets|Мои обращения/ }).click();
  await listed;
  await page.getByRole("heading", { name: /My tickets|Мои обращения/ }).waitFor();
  await page.getByRole("button", { name: new RegExp(subject) }).click();
  await page.getByRole("heading", { name: new RegExp(`· ${subject}`) }).waitFor();
  await page.waitForSelector("edgedesk-ticket-status-panel .told");
}

/** The panel's "What you told us" as term → answer. */
const toldUs = (page: Page) =>
  page
    .locator("edgedesk-ticket-status-panel")
    .evaluate((p) =>
      Object.fromEntries(
        Array.from(p.shadowRoot!.querySelectorAll("dt"), (dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
      ),
    );

const panelText = (page: Page) =>
  page.locator("edgedesk-ticket-status-panel").evaluate((p) => p.shadowRoot!.textContent);
const focused = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return `${element?.tagName.toLowerCase()}#${element?.id}`;
  });

describe("the customer's thread shows back what they told us", () => {
  it("lists department, its fields, service, priority with its meaning, and a secret only as provided", async () => {
    const { subject } = await fileTicket("Shop answers 500");
    const { page, context } = await openPanel(browser);
    await openTicket(page, subject);
    expect(await page.getByRole("region", { name: enStatus.toldUs }).isVisible()).toBe(true);
    expect(await toldUs(page)).toEqual({
      Department: "Technical Support",
      "IP address or hostname": "shop.example.com",
      "Remote Assistance enabled?": "Yes",
      "Related service": "Business Web Hosting — example.com",
      Priority: "Urgent: Emergency: services are down.",
      [enStatus.sensitiveLabel]: enStatus.sensitiveProvided,
    });
    expect(await page.content()).not.toContain(SECRET);
    expect(await panelText(page)).not.toContain(SECRET);
    expect(summarize(await runAxe(page))).toEqual([]);
    await context.close();
  });
});

describe("every status carries its reason", () => {
  it("says why it is on hold, how it was closed and how to re-open, and when an answered one closes", async () => {
    const onHold = await fileTicket("Disk replacement", { billing: true });
    await call("bob", "PATCH", `/tickets/${onHold.id}`, {
      status: "on_hold",
      reason: "Waiting for the data centre to replace a disk.",
    });
    const onHoldBare = await fileTicket("Vendor patch", { billing: true });
    await call("bob", "PATCH", `/tickets/${onHoldBare.id}`, { status: "on_hold" });
    const byStaff = await fileTicket("Duplicate invoice", { billing: true });
    await call("bob", "PATCH", `/tickets/${byStaff.id}`, {
      status: "closed",
      reason: "Duplicate of the March ticket.",
    });
    const byYou = await fileTicket("Never mind", { billing: true });
    await call("alice", "PATCH", `/tickets/${byYou.id}`, { status: "closed" });
    // Auto-close takes days: the view's fields are the server's (test/worker/ticket-status-view.test.ts); here, their words.
    const closing = await fileTicket("Closing soon", { billing: true });
    await answer(closing.id);
    const autoClosed = await fileTicket("Went quiet", { billing: true });
    await call("alice", "PATCH", `/tickets/${autoClosed.id}`, { status: "closed" });

    const { page, context } = await openPanel(browser);
    await page.route(`${demoUrl}/api/v1/demo/tickets/*`, async (route) => {
      const url = route.request().url();
      const change = url.endsWith(closing.id)
        ? { closesAt: "2031-03-03T10:00:00.000Z" }
        : url.endsWith(autoClosed.id)
          ? { statusReason: { kind: "closed_automatically", note: null, at: "2031-03-03T10:00:00.000Z" } }
          : null;
      if (!change || route.request().method() !== "GET") return route.continue();
      const response = await route.fetch();
      const json = (await response.json()) as TicketDetailResponse;
      await route.fulfill({ response, json: { ticket: { ...json.ticket, ...change } } });
    });

    const expected: [{ subject: string }, RegExp][] = [
      [onHold, /^On hold: Waiting for the data centre to replace a disk\.$/],
      [onHoldBare, new RegExp(`^${enStatus.onHoldGeneric.replace(/[.?]/g, "\\$&")}$`)],
      [byStaff, /^Our staff closed this ticket on .*20\d\d.*: Duplicate of the March ticket\.$/],
      [byYou, /^You closed this ticket on .*20\d\d.*\.$/],
      [closing, /^Closes automatically on .*2031.* unless you reply\.$/],
      [autoClosed, /^Closed automatically on .*2031.*, as there was no reply\.$/],
    ];
    for (const [ticket, reason] of expected) {
      await openTicket(page, ticket.subject);
      expect(await page.locator("edgedesk-ticket-status-panel #reason").textContent()).toMatch(reason);
      const closed = ticket !== onHold && ticket !== onHoldBare && ticket !== closing;
      expect(await panelText(page)).toContain(closed ? enStatus.howToReopen : enStatus.toldUs);
      if (!closed) expect(await panelText(page)).not.toContain(enStatus.howToReopen);
      expect(summarize(await runAxe(page))).toEqual([]);
    }
    await context.close();
  });
});

describe("after a staff answer: Solved?", () => {
  it("closes the ticket as resolved by the customer, and the thread says so", async () => {
    const ticket = await fileTicket("Mail stuck in queue");
    await answer(ticket.id);
    const { page, context } = await openPanel(browser);
    await openTicket(page, ticket.subject);
    const solved = page.getByRole("group", { name: enStatus.solved });
    expect(summarize(await runAxe(page))).toEqual([]);
    await screenshot(page, "thread-solved");
    await solved.getByRole("button", { name: enStatus.solvedClose }).click();
    await expect
      .poll(() => page.locator("edgedesk-ticket-status-panel #reason").textContent())
      .toMatch(/^You marked this ticket as resolved on .*20\d\d.*\.$/);
    expect(await focused(page)).toBe("p#reason");
    expect(await solved.count()).toBe(0);
    expect(await page.getByRole("button", { name: "Re-open ticket" }).isVisible()).toBe(true);
    const view = await call<TicketDetailResponse>("alice", "GET", `/tickets/${ticket.id}`);
    expect(view.ticket.status).toBe("closed");
    expect(view.ticket.statusReason?.kind).toBe("resolved_by_customer");
    expect(view.ticket.history.at(-1)).toMatchObject({ to: "closed", reason: "Resolved by the customer" });
    expect(summarize(await runAxe(page))).toEqual([]);
    await screenshot(page, "thread-resolved");
    await context.close();
  });

  it("Still broken opens the reply box, and is not offered once the customer has replied", async () => {
    const ticket = await fileTicket("Site still slow");
    await answer(ticket.id);
    const { page, context } = await openPanel(browser);
    await openTicket(page, ticket.subject);
    await page.getByRole("button", { name: enStatus.stillBroken }).click();
    expect(await focused(page)).toBe("textarea#reply");
    await page.keyboard.type("Still slow after the fix.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByRole("group", { name: enStatus.solved }).count()).toBe(0);
    await context.close();
  });

  it("speaks Russian and stays axe-clean in the dark theme", async () => {
    const answered = await fileTicket("Почта не уходит");
    await answer(answered.id);
    const held = await fileTicket("Ждём дата-центр", { billing: true });
    await call("bob", "PATCH", `/tickets/${held.id}`, { status: "on_hold", reason: "Ждём замену диска." });
    const { page, context } = await openPanel(browser, { lang: "ru", dark: true });
    await openTicket(page, answered.subject);
    const solved = page.getByRole("group", { name: ruStatus.solved });
    expect(await solved.getByRole("button", { name: ruStatus.solvedClose }).isVisible()).toBe(true);
    expect(await page.getByRole("region", { name: ruStatus.toldUs }).textContent()).toContain("Срочный");
    expect(summarize(await runAxe(page))).toEqual([]);
    await solved.getByRole("button", { name: ruStatus.solvedClose }).click();
    await expect
      .poll(() => page.locator("edgedesk-ticket-status-panel #reason").textContent())
      .toMatch(/^Вы отметили это обращение как решённое .+\d\.$/);
    expect(await panelText(page)).toContain(ruStatus.howToReopen);
    const english = Object.values(enStatus).map((s) => s.replace(/\{\w+\}.*$/, "").trim());
    const shown = await panelText(page);
    expect(english.filter((s) => s.length > 3 && shown?.includes(s))).toEqual([]);
    expect(summarize(await runAxe(page))).toEqual([]);
    await openTicket(page, held.subject);
    expect(await page.locator("edgedesk-ticket-status-panel #reason").textContent()).toBe(
      "Обращение ожидает: Ждём замену диска.",
    );
    expect(summarize(await runAxe(page))).toEqual([]);
    await context.close();
  });
});
