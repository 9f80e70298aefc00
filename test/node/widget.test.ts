import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS } from "../../demo/constants";
// The widget's events, typed on GlobalEventHandlersEventMap, for the code these tests run in the page.
import type {} from "../../widget/events";
import { en } from "../../widget/locales/en";
import { enThread } from "../../widget/locales/en-thread";
import { ruThread } from "../../widget/locales/ru";
import { signEmbedToken } from "../../worker/auth/token";
import { launchBrowser, openPanel, runAxe, screenshot, shadowText, ticketRow } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const panel = (options: Parameters<typeof openPanel>[1] = {}) => openPanel(browser, options);

/** Fills the new-ticket form as a person does: clicks, typing, the keyboard for choices. */
async function fillTechnicalTicket(page: Page, subject: string): Promise<void> {
  await page.getByRole("button", { name: "New ticket" }).click();
  await page.getByLabel("Department").selectOption("technical");
  await page.getByLabel("IP address or hostname").fill("example.com");
  await page.getByRole("checkbox", { name: "Yes" }).check();
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill("Since 09:10 every page answers 500.\nTried: clearing the cache.");
  await page.getByRole("radio", { name: /^High/ }).check();
}

/** Sends the form; the server files the ticket, and its answer is lost on the way back. */
async function sendAndLoseTheAnswer(page: Page): Promise<void> {
  await page.route("**/api/v1/demo/tickets", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    await route.fetch();
    await route.abort("connectionreset");
  });
  await page.getByRole("button", { name: "Send ticket" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toContain(en.networkError);
}

describe("filing and following a ticket", () => {
  it("files a ticket, finds it in the history, replies, closes, re-opens and votes", async () => {
    const { page, context } = await panel();
    const created: string[] = [];
    await page.exposeFunction("onCreated", (n: string) => created.push(n));
    await page.evaluate(() =>
      document.addEventListener("edgedesk-ticket-created", (e) =>
        (window as unknown as { onCreated: (n: string) => void }).onCreated(String(e.detail.ticket.number)),
      ),
    );
    await fillTechnicalTicket(page, "Checkout page answers 500");
    await screenshot(page, "form-filled");
    await page.keyboard.press("Tab");
    await page.getByRole("button", { name: "Send ticket" }).press("Enter");
    const heading = page.getByRole("heading", { name: /Ticket #\d+ received/ });
    await expect.poll(() => heading.isVisible()).toBe(true);
    const number = /#(\d+)/.exec((await heading.textContent()) ?? "")?.[1];
    expect(created).toEqual([number]);
    await screenshot(page, "created");

    await page.getByRole("button", { name: "My tickets" }).click();
    const row = page.getByRole("button", { name: new RegExp(`#${number}`) });
    await expect.poll(() => row.isVisible()).toBe(true);
    await screenshot(page, "list");
    await row.click();
    await page.getByLabel("Your reply").fill("Also the cart page.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByText("Also the cart page.").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Close ticket" }).click();
    await expect.poll(() => page.locator("edgedesk-tickets .badge").first().textContent()).toBe("Closed");
    await page.getByRole("button", { name: "Re-open ticket" }).click();
    await expect.poll(() => page.locator("edgedesk-tickets .badge").first().textContent()).toBe("Open");

    // A staff reply on a seeded ticket: vote, and the vote is remembered after a reload.
    await page.getByRole("button", { name: /Back to my tickets/ }).click();
    await (await ticketRow(page, "500 Error on example.com")).click();
    await page.getByRole("group", { name: "Was this helpful?" }).getByRole("button", { name: "Yes" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Yes", pressed: true }).count()).toBe(1);
    await screenshot(page, "thread");
    // The reload lands on the same ticket (its place is in the URL).
    await page.reload();
    await expect.poll(() => page.getByRole("button", { name: "Yes", pressed: true }).count()).toBe(1);
    await context.close();
  });

  it("shows the server's field errors at their fields", async () => {
    const { page, context } = await panel();
    await fillTechnicalTicket(page, "Tab\tin the subject");
    await page.getByRole("button", { name: "Send ticket" }).click();
    const subject = page.getByLabel("Subject");
    await expect.poll(() => subject.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await subject.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).toContain("err-subject");
    await expect
      .poll(() => page.locator("edgedesk-tickets #err-subject").textContent())
      .toMatch(/single line|control characters/);
    await context.close();
  });

  it("keeps the draft when the answer is lost, restores it after a reload, and the retry files it once", async () => {
    const { page, context } = await panel();
    const subject = `Draft that must survive ${Date.now()}`;
    await fillTechnicalTicket(page, subject);
    await sendAndLoseTheAnswer(page);
    expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
    await page.unroute("**/api/v1/demo/tickets");
    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await page.getByRole("button", { name: "New ticket" }).click();
    expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
    expect(await page.getByLabel("IP address or hostname").inputValue()).toBe("example.com");
    await page.getByRole("button", { name: "Send ticket" }).click();
    const heading = page.getByRole("heading", { name: /Ticket #\d+ received/ });
    await expect.poll(() => heading.isVisible()).toBe(true);
    // The retry carried the draft's Idempotency-Key: one ticket, the one the lost answer was about.
    const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
    const res = await fetch(`${demoUrl}/api/v1/demo/tickets?${new URLSearchParams({ q: subject })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { tickets } = (await res.json()) as { tickets: { number: number; subject: string }[] };
    expect(tickets.map((t) => t.subject)).toEqual([subject]);
    expect(await heading.textContent()).toContain(`#${tickets[0]!.number}`);
    // Sent, the draft is gone: a new form starts empty.
    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await page.getByRole("button", { name: "New ticket" }).click();
    expect(await page.getByLabel("Subject").inputValue()).toBe("");
    await context.close();
  });

  it("says so when a draft whose answer was lost is edited and sent again, instead of filing it twice", async () => {
    const { page, context } = await panel();
    const subject = `Edited after a lost answer ${Date.now()}`;
    await fillTechnicalTicket(page, subject);
    await sendAndLoseTheAnswer(page);
    await page.unroute("**/api/v1/demo/tickets");
    await page.getByLabel("Message").fill("Since 09:10 every page answers 500. Also the admin area.");
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain(en.alreadyFiled);
    expect(await page.getByLabel("Message").inputValue()).toContain("Also the admin area.");
    const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
    const res = await fetch(`${demoUrl}/api/v1/demo/tickets?${new URLSearchParams({ q: subject })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await res.json()) as { tickets: unknown[] }).tickets).toHaveLength(1);
    await context.close();
  });
});

/** The element that has focus, through shadow roots: its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return `${element?.tagName.toLowerCase()} ${element?.textContent?.trim()}`;
  });

describe("moving between views", () => {
  it("moves focus to the heading of each view it opens, so a screen reader says where the person is", async () => {
    const { page, context } = await panel();
    await page.getByRole("button", { name: "New ticket" }).click();
    await expect.poll(() => focused(page)).toBe("h2 New ticket");
    await page.getByRole("button", { name: "My tickets" }).click();
    await expect.poll(() => focused(page)).toBe("h2 My tickets");
    await (await ticketRow(page, "500 Error on example.com")).click();
    await expect.poll(() => focused(page)).toMatch(/^h2 #\d+ · 500 Error on example\.com$/);
    await page.getByRole("button", { name: /Back to my tickets/ }).click();
    await expect.poll(() => focused(page)).toBe("h2 My tickets");
    await context.close();
  });
});

describe("safety and isolation", () => {
  it("renders markup in a subject, body and name as text", async () => {
    const { page, context } = await panel();
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      void d.dismiss();
    });
    const evil = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
    await fillTechnicalTicket(page, `Site broken ${evil}`.slice(0, 190));
    await page.getByLabel("Message").fill(`Body ${evil}`);
    await page.getByRole("button", { name: "Send ticket" }).click();
    await page.getByRole("button", { name: "View ticket" }).click();
    await expect.poll(() => page.getByText(`Body ${evil}`).isVisible()).toBe(true);
    const injected = await page.evaluate(() => {
      const root = document.querySelector("edgedesk-tickets")!.shadowRoot!;
      return root.querySelectorAll("img:not([alt='']), script").length;
    });
    expect(injected).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });

  it("lets the host theme it through --edgedesk-* properties and ::part, and nothing else", async () => {
    const { page, context } = await panel();
    // The host's stylesheet, adopted (the demo page's Content-Security-Policy refuses an inline <style>).
    await page.evaluate((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }, `edgedesk-tickets { --edgedesk-accent: rgb(0, 128, 0); } edgedesk-tickets::part(ticket) { border-width: 3px; }`);
    const primary = page.getByRole("button", { name: "New ticket" });
    await expect.poll(() => primary.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(0, 128, 0)");
    const firstRow = page.locator("edgedesk-tickets .ticket").first();
    expect(await firstRow.evaluate((b) => getComputedStyle(b).borderTopWidth)).toBe("3px");
    await context.close();

    const hostile = await panel({ path: "/demo/hostile" });
    const inside = await hostile.page
      .locator("edgedesk-tickets .ticket")
      .first()
      .evaluate((b) => ({
        font: getComputedStyle(b).fontFamily,
        spacing: getComputedStyle(b).letterSpacing,
        background: getComputedStyle(b).backgroundColor,
        display: getComputedStyle(b).display,
      }));
    expect(inside.font).not.toMatch(/Comic Sans/);
    expect(inside.spacing).toBe("normal");
    expect(inside.background).not.toBe("rgb(255, 0, 255)");
    expect(inside.display).not.toBe("none");
    await screenshot(hostile.page, "hostile-page");
    await hostile.context.close();
  });
});

describe("the panel's side", () => {
  it("asks tokenProvider again, once, when the API refuses an expired token, and carries on", async () => {
    const { page, context } = await panel();
    const now = Math.floor(Date.now() / 1000);
    const expired = await signEmbedToken(
      {
        iss: "demo",
        aud: "edgedesk",
        sub: "cust-1001",
        email: "alice@example.com",
        name: "Alice Moreno",
        role: "customer",
        services: [],
        iat: now - 7200,
        exp: now - 3600,
      },
      DEMO_EMBED_KEYS.demo,
    );
    await page.evaluate((expired) => {
      const el = document.createElement("edgedesk-tickets") as HTMLElement & { tokenProvider: () => Promise<string> };
      el.setAttribute("api", location.origin);
      el.setAttribute("tenant", "demo");
      const w = window as unknown as { tokenCalls: number };
      w.tokenCalls = 0;
      el.tokenProvider = async () => (++w.tokenCalls === 1 ? expired : (await fetch("/demo/token/alice")).text());
      document.getElementById("support")!.replaceChildren(el);
    }, expired);
    await page.locator("edgedesk-tickets .ticket").first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { tokenCalls: number }).tokenCalls)).toBe(2);
    expect(await page.locator("edgedesk-tickets .ticket").count()).toBeGreaterThan(0);
    expect(await page.getByRole("alert").count()).toBe(0);
    await context.close();
  });

  it("prefills from newTicket(), fires composed events the panel can hear, and survives a second copy of the script", async () => {
    const { page, context } = await panel();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // A second copy of the module (another URL, so the browser evaluates it again) must not define twice.
    await page.addScriptTag({ type: "module", url: "/widget/edgedesk.js?again" });
    await page.waitForLoadState("networkidle");
    expect(pageErrors).toEqual([]);
    const events: string[] = [];
    await page.exposeFunction("onWidgetEvent", (name: string) => events.push(name));
    await page.evaluate(() => {
      for (const name of ["edgedesk-ticket-created", "edgedesk-reply-sent", "edgedesk-error"])
        document.body.addEventListener(name, () =>
          (window as unknown as { onWidgetEvent: (n: string) => void }).onWidgetEvent(name),
        );
      (document.querySelector("edgedesk-tickets") as HTMLElement & { newTicket(p: object): void }).newTicket({
        department: "billing",
        subject: "Invoice for example.org",
      });
    });
    expect(await page.getByLabel("Department").inputValue()).toBe("billing");
    expect(await page.getByLabel("Subject").inputValue()).toBe("Invoice for example.org");
    await page.getByLabel("Message").fill("The invoice shows the wrong VAT number.");
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => events).toEqual(["edgedesk-ticket-created"]);
    await page.getByRole("button", { name: "View ticket" }).click();
    await page.getByLabel("Your reply").fill("Our VAT number is EU123456789.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => events).toEqual(["edgedesk-ticket-created", "edgedesk-reply-sent"]);
    await page.route("**/api/v1/demo/tickets?*", (route) => route.abort());
    await page.getByRole("button", { name: /Back to my tickets/ }).click();
    await expect.poll(() => events).toContain("edgedesk-error");
    await context.close();
  });

  it("lets a guest file a ticket, shows the private link, and the link opens that ticket only", async () => {
    const { page, context } = await panel({ user: "guest" });
    await page.getByLabel("Your name").fill("Gina Guest");
    await page.getByLabel("Your email").fill("gina@example.net");
    await page.getByLabel("Department").selectOption("billing");
    await page.getByLabel("Subject").fill("Cannot sign in to pay my invoice");
    await page.getByLabel("Message").fill("The sign-in page says my account is locked.");
    // Before filing, beside the priorities: a guest's urgent ticket pages nobody (issue 11's paging policy).
    await expect.poll(() => page.getByText(en.guestsWaitForOpening).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Send ticket" }).click();
    const link = page.locator("edgedesk-tickets .link");
    await expect.poll(() => link.isVisible()).toBe(true);
    const url = (await link.textContent())!.trim();
    expect(url).toMatch(/#edgedesk-key=[\w-]{20,}$/);
    await screenshot(page, "guest-created");
    await context.close();

    const later = await browser.newContext();
    const again = await later.newPage();
    await again.goto(url);
    await expect.poll(() => again.getByText("The sign-in page says my account is locked.").isVisible()).toBe(true);
    await again.getByLabel("Your reply").fill("It is unlocked now, thanks.");
    await again.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => again.getByText("It is unlocked now, thanks.").isVisible()).toBe(true);
    // The key opens this ticket, not the tenant's others.
    const key = url.split("#edgedesk-key=")[1]!;
    const list = await fetch(`${demoUrl}/api/v1/demo/tickets`, { headers: { authorization: `Key ${key}` } });
    const { tickets } = (await list.json()) as { tickets: { subject: string }[] };
    expect(tickets.map((t) => t.subject)).toEqual(["Cannot sign in to pay my invoice"]);
    await later.close();
  });
});

describe("accessibility (axe-core, WCAG 2.2 A/AA)", () => {
  for (const dark of [false, true]) {
    const scheme = dark ? "dark" : "light";
    it(`finds no violations on the list, the form and the thread (${scheme})`, async () => {
      const { page, context } = await panel({ dark });
      await page.waitForSelector("edgedesk-tickets .ticket");
      expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
      await screenshot(page, `list-${scheme}`);
      await page.getByRole("button", { name: "New ticket" }).click();
      await page.getByRole("button", { name: "Send ticket" }).click(); // with its errors showing
      expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
      await screenshot(page, `form-${scheme}`);
      await page.getByRole("button", { name: "My tickets" }).click();
      await (await ticketRow(page, "500 Error on example.com")).click();
      await page.waitForSelector("edgedesk-tickets #reply");
      expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
      await screenshot(page, `thread-${scheme}`);
      await context.close();
    });
  }
});

describe("Russian", () => {
  it("translates every visible string of the form", async () => {
    const { page, context } = await panel({ lang: "ru" });
    await page.getByRole("button", { name: "Новое обращение" }).click();
    await page.waitForSelector("edgedesk-tickets #subject");
    // Opens what is collapsed (the message guidance is open on a first visit).
    for (const summary of await page.locator("edgedesk-tickets details:not([open]) > summary").all())
      await summary.click();
    const text = await shadowText(page, "edgedesk-tickets");
    const english = Object.values(en).filter((s) => s.length > 3 && !/^\{|#/.test(s));
    const leftovers = english.filter(
      (s) => text.includes(s.replace(/\{\w+\}/g, "").trim()) && s.replace(/\{\w+\}/g, "").trim().length > 3,
    );
    expect(leftovers).toEqual([]);
    // The tenant's default departments, fields and guidance are translated too.
    for (const phrase of [
      "Техническая поддержка",
      "IP-адрес или имя хоста",
      "Шаги для воспроизведения проблемы",
      "Сторонние программы и плагины",
    ]) {
      expect(text).toContain(phrase);
    }
    expect(await page.locator("edgedesk-tickets #department option").allTextContents()).toEqual([
      "Техническая поддержка",
      "Оплата и продажи",
      "Жалобы и нарушения",
    ]);
    await screenshot(page, "form-ru");
    await context.close();
  });

  it("translates the thread, which loads its strings on demand", async () => {
    const { page, context } = await panel({ lang: "ru" });
    await (await ticketRow(page, "500 Error on example.com")).click();
    await page.waitForSelector("edgedesk-tickets #reply");
    // Opens what is collapsed (the message guidance is open on a first visit).
    for (const summary of await page.locator("edgedesk-tickets details:not([open]) > summary").all())
      await summary.click();
    const text = await shadowText(page, "edgedesk-tickets");
    const english = Object.values(enThread)
      .map((s) => s.replace(/\{\w+\}/g, "").trim())
      .filter((s) => s.length > 3);
    expect(english.filter((s) => text.includes(s))).toEqual([]);
    for (const phrase of [ruThread.back, ruThread.reply, ruThread.sendReply, ruThread.helpfulQuestion])
      expect(text).toContain(phrase);
    await screenshot(page, "thread-ru");
    await context.close();
  });
});
