/**
 * The console's admin screens in real Chromium against the demo Worker: a reseller's admin edits
 * the reseller's own settings (brand, hours with the openings preview, origins, secrets, on-call
 * test page) and manages canned replies; what they save reaches the reseller's customer widget and
 * never the provider's settings. Each test works on fresh tenants (admin-harness.ts).
 */
import { rm } from "node:fs/promises";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildAdminElements, createDesk, openAdminPage, type TestDesk, tokenFor } from "./admin-harness";
import { launchBrowser, runAxe, screenshot, shadowText, summarize } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;
let built: string;

beforeAll(async () => {
  [browser, built] = await Promise.all([launchBrowser(), buildAdminElements()]);
});
afterAll(async () => {
  await browser?.close();
  if (built) await rm(built, { recursive: true, force: true });
});

const SETTINGS = "edgedesk-console-settings";
const CANNED = "edgedesk-canned-replies";

async function asAdmin(
  desk: TestDesk,
  tag: typeof SETTINGS | typeof CANNED,
  options: { lang?: string; dark?: boolean } = {},
) {
  const token = await tokenFor(desk.reseller, desk.resellerKey, { sub: "frank", role: "admin", name: "Frank Admin" });
  const opened = await openAdminPage(
    browser,
    demoUrl,
    built,
    [{ tag, tenant: desk.reseller, token, ...(options.lang && { lang: options.lang }) }],
    options,
  );
  return { ...opened, el: opened.page.locator(tag) };
}

/** The section form of the settings element whose heading is `title`. */
const section = (el: Locator, title: string) =>
  el
    .locator("form.section, section.section")
    .filter({ has: el.page().getByRole("heading", { name: title, exact: true }) });

async function publicConfig(tenant: string) {
  return (await (await fetch(`${demoUrl}/api/v1/${tenant}/config`)).json()) as {
    branding: { accentColor: string };
    supportHours: { timeZone: string; weekly: Record<string, { open: string; close: string }[]>; openNow: boolean };
  };
}

describe("<edgedesk-console-settings>, a reseller admin's own settings", () => {
  it("saves brand and hours for the reseller only, and its customer widget shows them on next load", async () => {
    const desk = await createDesk(demoUrl, "brand");
    const { page, el, context, errors } = await asAdmin(desk, SETTINGS);
    const brand = section(el, "Brand");
    const accent = brand.getByLabel("Accent colour", { exact: true });
    await accent.fill("#ffd33d");
    await expect.poll(() => brand.locator(".contrast").textContent()).toMatch(/too low; WCAG AA needs 4.5:1/);
    await accent.fill("#0b5cd5");
    await expect.poll(() => brand.locator(".contrast").textContent()).toMatch(/readable/);
    await brand.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => brand.getByRole("status").last().textContent()).toBe("Saved.");

    // Hours: UTC, open only on the day after tomorrow, 10:00 to 12:00; no holidays.
    const hours = section(el, "Support hours and holidays");
    await hours.getByLabel("Time zone").fill("UTC");
    while ((await hours.getByRole("button", { name: /^Remove: \w+day \d$/ }).count()) > 0)
      await hours
        .getByRole("button", { name: /^Remove: \w+day \d$/ })
        .first()
        .click();
    while ((await hours.locator(".item").count()) > 0) await hours.locator(".item button").first().click();
    const target = new Date(Date.now() + 2 * 86_400_000);
    const day = new Intl.DateTimeFormat("en", { weekday: "long", timeZone: "UTC" }).format(target);
    await hours.getByRole("button", { name: `Add hours: ${day}` }).click();
    const row = hours.getByRole("group", { name: day });
    await row.getByLabel("Opens").fill("10:00");
    await row.getByLabel("Closes").fill("12:00");
    const shortDay = new Intl.DateTimeFormat("en", { weekday: "short", timeZone: "UTC" }).format(target);
    await expect
      .poll(() => hours.locator(".openings li").first().textContent())
      .toMatch(new RegExp(`^${shortDay}.*10:00.* – ${shortDay}.*12:00`));
    await hours.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => hours.getByRole("status").last().textContent()).toBe("Saved.");
    expect(errors).toEqual([]);
    await screenshot(page, "console-settings");
    await context.close();

    const reseller = await publicConfig(desk.reseller);
    expect(reseller.branding.accentColor.toLowerCase()).toBe("#0b5cd5");
    expect(reseller.supportHours).toMatchObject({ timeZone: "UTC", openNow: false });
    expect(Object.values(reseller.supportHours.weekly).flat()).toEqual([{ open: "10:00", close: "12:00" }]);
    const provider = await publicConfig(desk.provider);
    expect(provider.branding.accentColor).toBe("#1f6feb");
    expect(provider.supportHours.timeZone).toBe("America/New_York");

    // The reseller's customer widget, loaded afresh: the new accent on its buttons, closed until that day.
    const customer = await tokenFor(desk.reseller, desk.resellerKey, { sub: "cust-1", role: "customer" });
    const widget = await openAdminPage(browser, demoUrl, built, [
      { tag: "edgedesk-tickets", tenant: desk.reseller, token: customer },
    ]);
    await widget.page.waitForSelector("edgedesk-tickets .hours");
    expect(await shadowText(widget.page, "edgedesk-tickets")).toContain(`we open ${day}`);
    const background = await widget.page
      .locator("edgedesk-tickets button.primary")
      .first()
      .evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(background).toBe("rgb(11, 92, 213)");
    await widget.context.close();
  });

  it("shows the server's errors next to their fields and saves nothing", async () => {
    const desk = await createDesk(demoUrl, "bad");
    const { page, el, context } = await asAdmin(desk, SETTINGS);
    const origins = section(el, "Allowed origins");
    const box = origins.getByLabel("Panels that may embed the widget");
    await box.fill(`${demoUrl}\npanel.example.com/path`);
    await origins.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => origins.locator(".error").textContent()).toMatch(/^Line 2: an exact origin/);
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(await box.evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await origins.getByRole("status").last().textContent()).toBe(
      "Not saved: please correct the highlighted fields.",
    );
    const hours = section(el, "Support hours and holidays");
    await hours.getByLabel("Opens").first().fill("25:00");
    await hours.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => hours.locator(".error").first().textContent()).toMatch(/HH:MM/);
    // With errors on the page, still clean for assistive technology.
    expect(summarize(await runAxe(page))).toEqual([]);
    const token = await tokenFor(desk.reseller, desk.resellerKey, { sub: "frank", role: "admin" });
    const res = await fetch(`${demoUrl}/api/v1/${desk.reseller}/settings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { settings } = (await res.json()) as {
      settings: { config?: { allowedOrigins: string[] }; allowedOrigins?: string[] };
    };
    expect((settings.config ?? settings).allowedOrigins).toEqual([demoUrl]);
    await context.close();
  });

  it("adds an embed secret shown once, which signs tokens until it is revoked", async () => {
    const desk = await createDesk(demoUrl, "secret");
    const { page, el, context } = await asAdmin(desk, SETTINGS);
    const secrets = section(el, "Embed secrets");
    await secrets.getByRole("button", { name: "Add a secret" }).click();
    const shown = secrets.locator("code.secret");
    await expect.poll(() => shown.count()).toBe(1);
    const secret = (await shown.textContent()) ?? "";
    const kid = ((await secrets.locator(".once strong").textContent()) ?? "").replace("New secret ", "");
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const customer = await tokenFor(desk.reseller, { kid, secret }, { sub: "cust-9", role: "customer" });
    const tickets = () =>
      fetch(`${demoUrl}/api/v1/${desk.reseller}/tickets`, { headers: { authorization: `Bearer ${customer}` } });
    expect((await tickets()).status).toBe(200);
    // Never shown again: not after a reload of the screen.
    await page.reload();
    await expect.poll(() => secrets.getByText(kid).count()).toBe(1);
    expect(await shadowText(page, SETTINGS)).not.toContain(secret);
    await secrets.getByRole("button", { name: `Revoke ${kid}` }).click();
    await secrets.getByRole("button", { name: "Yes, revoke" }).click();
    await expect.poll(() => secrets.getByText(/^Revoked/).count()).toBe(1);
    await expect.poll(async () => (await tickets()).status).toBe(401);
    await context.close();
  });

  it("sends a test page to a saved on-call contact, and says how it went", async () => {
    const desk = await createDesk(demoUrl, "page");
    const { el, context } = await asAdmin(desk, SETTINGS);
    const emergency = section(el, "Emergencies and on-call");
    await emergency.getByRole("button", { name: "Add a contact" }).click();
    await emergency.getByLabel("Channel").selectOption("webhook");
    await emergency.getByLabel("Name", { exact: true }).fill("Pager");
    await emergency.getByLabel("Webhook URL").fill(`${demoUrl}/demo/pager`);
    await emergency.getByRole("button", { name: "Set a new signing secret" }).click();
    await emergency.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => emergency.getByRole("status").last().textContent()).toBe("Saved.");
    expect(await shadowText(el.page(), SETTINGS)).toContain("A signing secret is set.");
    // The demo's pager accepts only deliveries signed with the tenant's secret, which it does not have.
    await emergency.getByRole("button", { name: "Send a test page to Pager" }).click();
    await expect
      .poll(() => emergency.locator(".test-pages .status").textContent())
      .toMatch(/^The test page failed: .*401/);
    await context.close();
  });

  it("refuses an agent: the screen says the settings could not be loaded", async () => {
    const desk = await createDesk(demoUrl, "agent");
    const token = await tokenFor(desk.reseller, desk.resellerKey, { sub: "dana", role: "agent" });
    const { page, context } = await openAdminPage(browser, demoUrl, built, [
      { tag: SETTINGS, tenant: desk.reseller, token },
    ]);
    await expect.poll(() => shadowText(page, SETTINGS)).toContain("The settings could not be loaded.");
    await context.close();
  });

  it("passes axe in light, dark and Russian", async () => {
    const desk = await createDesk(demoUrl, "axe");
    for (const options of [{}, { dark: true }, { lang: "ru", dark: true }]) {
      const { page, el, context } = await asAdmin(desk, SETTINGS, options);
      await el.locator("form.section").first().waitFor();
      if (options.lang) await expect.poll(() => el.getByRole("heading", { level: 2 }).textContent()).toBe("Настройки");
      await el
        .locator("form.section")
        .first()
        .getByRole("button", { name: /Save|Сохранить/ })
        .focus();
      expect(summarize(await runAxe(page))).toEqual([]);
      await context.close();
    }
  });
});

describe("<edgedesk-canned-replies>", () => {
  const editor = (el: Locator) => el.locator("form.section");

  async function fillReply(page: Page, el: Locator, title: string, body: string) {
    await editor(el).getByLabel("Title").fill(title);
    await editor(el).getByLabel("Text").fill(body);
    await page.keyboard.press("Tab");
    await editor(el).getByRole("button", { name: "Save" }).click();
  }

  it("creates, edits and deletes a canned reply; an unknown placeholder is refused at the text", async () => {
    const desk = await createDesk(demoUrl, "canned");
    const { page, el, context, errors } = await asAdmin(desk, CANNED);
    await expect.poll(() => shadowText(page, CANNED)).toContain("No canned replies yet.");
    await el.getByRole("button", { name: "New canned reply" }).click();
    expect(await shadowText(page, CANNED)).toMatch(
      /\{\{customer\.name\}\}[\s\S]*\{\{ticket\.number\}\}[\s\S]*\{\{agent\.name\}\}[\s\S]*\{\{tenant\.name\}\}/,
    );
    await fillReply(page, el, "Welcome", "Hello {{customer.email}},");
    const body = editor(el).getByLabel("Text");
    await expect.poll(() => body.getAttribute("aria-invalid")).toBe("true");
    expect(await editor(el).locator(".error").textContent()).toMatch(/unknown placeholder \{\{customer\.email\}\}/);
    await body.fill("Hello ");
    await body.press("End");
    await editor(el).getByRole("button", { name: "Insert {{customer.name}}" }).click();
    expect(await body.inputValue()).toBe("Hello {{customer.name}}");
    await editor(el).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => el.locator("ul.canned li h3").allTextContents()).toEqual(["Welcome"]);

    await el.getByRole("button", { name: "Edit: Welcome" }).click();
    await fillReply(
      page,
      el,
      "Welcome back",
      "Hi {{customer.name}}, this is {{agent.name}} of {{tenant.name}} about #{{ticket.number}}.",
    );
    await expect.poll(() => el.locator("ul.canned li h3").allTextContents()).toEqual(["Welcome back"]);
    expect(summarize(await runAxe(page))).toEqual([]);

    await el.getByRole("button", { name: "Delete: Welcome back" }).click();
    await el.getByRole("button", { name: "Yes, delete" }).click();
    await expect.poll(() => shadowText(page, CANNED)).toContain("No canned replies yet.");
    expect(errors).toEqual([]);
    await context.close();
  });
});
