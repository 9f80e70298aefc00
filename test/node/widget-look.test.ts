/**
 * How the customer widget looks wherever it is embedded: light or dark as the host page and the
 * OS say (or `theme`), readable text on any accent, input borders that can be seen, counters as
 * the person types, long unbroken text that wraps, and the demo panel on a phone.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { contrast, luminance, type Rgb } from "../../widget/contrast";
import { fill } from "../../widget/i18n";
import { en } from "../../widget/locales/en";
import { enThread } from "../../widget/locales/en-thread";
import { launchBrowser, runAxe, screenshot, summarize, wordsSplitAcrossLines } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The demo panel as Alice (or `user`) at `width`, with the OS in `os` mode; `hostCss` is the host
 * page's own stylesheet, there before the widget starts (adopted: the page's CSP refuses inline styles).
 */
async function open(
  options: { os?: "light" | "dark"; width?: number; hostCss?: string; user?: string; lang?: string } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.os ?? "light",
  });
  if (options.hostCss)
    await context.addInitScript((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [sheet];
    }, options.hostCss);
  const page = await context.newPage();
  const params = new URLSearchParams({ user: options.user ?? "alice", ...(options.lang && { lang: options.lang }) });
  await page.goto(`${demoUrl}/demo/?${params}`);
  await page.waitForSelector("edgedesk-tickets .hours");
  return { page, context };
}

/** A computed colour: `rgb(…)`, or `color(srgb …)` as color-mix() computes. */
function rgb(css: string): Rgb {
  const n = (css.match(/[\d.]+/g) ?? []).map(Number);
  const scale = css.startsWith("color(srgb") ? 255 : 1;
  return [n[0]! * scale, n[1]! * scale, n[2]! * scale];
}

/** The colours a person sees on the list: background, text, the primary button, a select's border, a badge. */
async function colours(page: Page) {
  await page.locator("edgedesk-tickets .badge").first().waitFor();
  const css = await page.evaluate(() => {
    const host = document.querySelector("edgedesk-tickets")!;
    const style = (selector: string) => getComputedStyle(host.shadowRoot!.querySelector(selector)!);
    const [primary, select, badge] = [style("button.primary"), style("select"), style(".badge")];
    return {
      background: getComputedStyle(host).backgroundColor,
      text: style(".wrap").color,
      accent: primary.backgroundColor,
      onAccent: primary.color,
      inputBorder: select.borderTopColor,
      badgeText: badge.color,
      badgeBackground: badge.backgroundColor,
    };
  });
  return Object.fromEntries(Object.entries(css).map(([k, v]) => [k, rgb(v)])) as Record<keyof typeof css, Rgb>;
}

/** WCAG AA: text 4.5:1, text on the accent 4.5:1, badges 4.5:1, input borders 3:1 (1.4.11). */
function expectReadable(c: Awaited<ReturnType<typeof colours>>): void {
  expect(contrast(c.text, c.background)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(c.onAccent, c.accent)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(c.badgeText, c.badgeBackground)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(c.inputBorder, c.background)).toBeGreaterThanOrEqual(3);
}

const dark = (c: Rgb) => luminance(c) < 0.05;

describe("theme", () => {
  it("is light on a light page and OS, with readable accent text, badges and 3:1 input borders", async () => {
    const { page, context } = await open();
    const c = await colours(page);
    expect(dark(c.background)).toBe(false);
    expectReadable(c);
    await context.close();
  });

  it("follows a dark OS when the host page says nothing, and passes axe", async () => {
    const { page, context } = await open({ os: "dark" });
    const c = await colours(page);
    expect(dark(c.background)).toBe(true);
    expectReadable(c);
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await context.close();
  });

  it("follows the host page's color-scheme before the OS, both ways", async () => {
    const onDarkPage = await open({ os: "light", hostCss: ":root { color-scheme: dark; }" });
    const c = await colours(onDarkPage.page);
    expect(dark(c.background)).toBe(true);
    expectReadable(c);
    await onDarkPage.context.close();

    // A host that forces light on a dark OS never gets dark badges.
    const onLightPage = await open({ os: "dark", hostCss: ":root { color-scheme: light; }" });
    const l = await colours(onLightPage.page);
    expect(dark(l.background)).toBe(false);
    expect(luminance(l.badgeBackground)).toBeGreaterThan(0.5);
    expectReadable(l);
    await onLightPage.context.close();
  });

  it('takes theme="light" and theme="dark" over the page and the OS', async () => {
    const { page, context } = await open({ os: "dark" });
    await page.locator("edgedesk-tickets").evaluate((el) => el.setAttribute("theme", "light"));
    const light = await colours(page);
    expect(dark(light.background)).toBe(false);
    expect(luminance(light.badgeBackground)).toBeGreaterThan(0.5);
    expectReadable(light);
    await page.locator("edgedesk-tickets").evaluate((el) => {
      (el as HTMLElement & { theme: string }).theme = "dark";
    });
    expect(await page.locator("edgedesk-tickets").getAttribute("theme")).toBe("dark");
    const darkTheme = await colours(page);
    expect(dark(darkTheme.background)).toBe(true);
    expectReadable(darkTheme);
    await context.close();
  });

  it("puts dark text on a light accent, unless the host sets --edgedesk-on-accent", async () => {
    for (const accent of ["#ffd33d", "#7ee787", "#f0f0f0"]) {
      const { page, context } = await open({ hostCss: `edgedesk-tickets { --edgedesk-accent: ${accent}; }` });
      const c = await colours(page);
      expect(c.accent).toEqual(rgb(`rgb(${[1, 3, 5].map((i) => Number.parseInt(accent.slice(i, i + 2), 16))})`));
      expect(c.onAccent).toEqual([0, 0, 0]);
      expectReadable(c);
      if (accent === "#ffd33d") {
        expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
        await screenshot(page, "light-accent");
      }
      await context.close();
    }
    const { page, context } = await open({
      hostCss: "edgedesk-tickets { --edgedesk-accent: #ffd33d; --edgedesk-on-accent: rgb(0, 0, 128); }",
    });
    expect((await colours(page)).onAccent).toEqual([0, 0, 128]);
    await context.close();
  });

  it("keeps white text on the reseller's dark brand colour (from its config)", async () => {
    const { page, context } = await open({ user: "carol" });
    const c = await colours(page);
    expect(c.onAccent).toEqual([255, 255, 255]);
    expectReadable(c);
    await context.close();
  });
});

describe("length limits as the person types", () => {
  it("counts down from 80% of the subject's and the message's limits, and says when it is over", async () => {
    const { page, context } = await open();
    await page.getByRole("button", { name: en.newTicket }).click();
    const subject = page.getByLabel(en.subject);
    await subject.fill("x".repeat(150));
    expect(await page.locator("edgedesk-tickets #count-subject").count()).toBe(0);
    await subject.fill("x".repeat(170));
    await expect.poll(() => page.locator("edgedesk-tickets #count-subject").textContent()).toBe("30 characters left");
    expect(await subject.getAttribute("aria-describedby")).toContain("count-subject");
    await subject.fill("x".repeat(205));
    await expect
      .poll(() => page.locator("edgedesk-tickets #count-subject").textContent())
      .toBe(fill(en.tooLong, { n: 200 }, "en"));

    await page.getByLabel(en.message).fill("y".repeat(16_500));
    await expect.poll(() => page.locator("edgedesk-tickets #count-message").textContent()).toBe("3500 characters left");
    await screenshot(page, "form-counters");
    await context.close();
  });

  it("counts in the reply box too, in Russian", async () => {
    const { page, context } = await open({ lang: "ru" });
    await page.locator("edgedesk-tickets .ticket").first().click();
    const reply = page.locator("edgedesk-tickets #reply");
    await reply.fill("z".repeat(19_990));
    await expect.poll(() => page.locator("edgedesk-tickets #reply-count").textContent()).toBe("Осталось символов: 10");
    expect(summarize(await runAxe(page, "edgedesk-tickets"))).toEqual([]);
    await context.close();
  });
});

/** Neither the page nor the widget scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => {
    const host = document.querySelector("edgedesk-tickets")!;
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      widget: host.scrollWidth - host.clientWidth,
    };
  });
  expect(widths, what).toEqual({ page: 0, widget: 0 });
}

describe("long unbroken text", () => {
  for (const width of [360, 1280]) {
    it(`wraps a pasted URL in the list, the form, the thread and the confirmation at ${width} px`, async () => {
      const word = `https://example.com/${"a".repeat(280)}`;
      const { page, context } = await open({ width });
      await expectNoSidewaysScroll(page, "list");
      await page.getByRole("button", { name: en.newTicket }).click();
      await page.getByLabel(en.department).selectOption("billing");
      await page.getByLabel(en.subject).fill(word.slice(0, 200));
      await page.getByLabel(en.message).fill(`${word}\n${"Traceback:".repeat(40)}`);
      await expectNoSidewaysScroll(page, "form");
      await page.getByRole("button", { name: en.submit }).click();
      await page.getByRole("button", { name: en.viewTicket }).waitFor();
      await expectNoSidewaysScroll(page, "created");
      await page.getByRole("button", { name: en.viewTicket }).click();
      await page.getByLabel(enThread.reply).waitFor();
      await expectNoSidewaysScroll(page, "thread");
      await screenshot(page, `long-words-thread-${width}`);
      await page.getByRole("button", { name: en.myTickets, exact: true }).click();
      await page.locator("edgedesk-tickets .ticket").first().waitFor();
      await expectNoSidewaysScroll(page, "list with the long subject");
      await context.close();
    });
  }
});

describe("the demo panel on a phone", () => {
  it("fits 390 px: no sideways scroll, the widget uses the width, text stays readable", async () => {
    const { page, context } = await open({ width: 390 });
    await page.locator("edgedesk-tickets .ticket").first().waitFor();
    await expectNoSidewaysScroll(page, "demo");
    const box = await page.locator("edgedesk-tickets").boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(340);
    const fontSize = await page
      .locator("edgedesk-tickets .ticket .subject")
      .first()
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(14);
    // Narrow, the list's buttons, statuses and dates keep their words whole (a subject may break a long word).
    const labels = "edgedesk-tickets button:not(.ticket), edgedesk-tickets .badge, edgedesk-tickets .meta";
    expect(await wordsSplitAcrossLines(page, labels)).toEqual([]);
    await screenshot(page, "demo-390");
    await context.close();
  });
});
