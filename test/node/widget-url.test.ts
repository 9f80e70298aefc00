/**
 * The widget's place in the page's URL, in Chromium: `#edgedesk=ticket/<id>`, `#edgedesk=new`, the
 * list without either; Back, Forward and reload; a link to a ticket opened by someone else; two
 * widgets with their own prefixes; a guest's private link (`#edgedesk-key=`).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS } from "../../demo/constants";
import { en } from "../../widget/locales/en";
import { signEmbedToken } from "../../worker/auth/token";
import { launchBrowser, ticketRow } from "./browser";
import {
  ELEMENT,
  expectSignedIn,
  html,
  openEmbedPage,
  PANEL_ORIGIN,
  type PanelOptions,
  type PanelPage,
  PROVIDER,
  SCRIPT,
  SET_PROVIDER,
} from "./embed-page";

const demoUrl = inject("demoUrl");
let browser: Browser;
const opened: PanelPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const { context } of opened) await context.close();
  await browser?.close();
});

async function open(body: string, options: PanelOptions = {}): Promise<PanelPage> {
  const panel = await openEmbedPage(browser, html(body), options);
  opened.push(panel);
  return panel;
}

const PANEL = `${ELEMENT}${SET_PROVIDER}${SCRIPT}`;
const hash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));
const threadTitle = (page: Page, subject: string) =>
  page.getByRole("heading", { name: new RegExp(`^#\\d+ · ${subject.replace(/\./g, "\\.")}$`) });
const listTitle = (page: Page) => page.getByRole("heading", { name: "My tickets" });

describe("a signed-in customer's place", () => {
  it("opening a ticket names it in the URL; Back is the list, Forward and a reload the same ticket", async () => {
    const { page, errors } = await open(PANEL);
    await expectSignedIn(page);
    expect(await hash(page)).toBe("");
    await (await ticketRow(page, "500 Error on example.com")).click();
    await expect.poll(() => threadTitle(page, "500 Error on example.com").isVisible()).toBe(true);
    expect(await hash(page)).toMatch(/^#edgedesk=ticket\/[\w-]+$/);
    const ticketUrl = page.url();

    await page.goBack();
    await expect.poll(() => listTitle(page).isVisible()).toBe(true);
    expect(await threadTitle(page, "500 Error on example.com").count()).toBe(0);
    expect(await hash(page)).not.toContain("edgedesk=");

    await page.goForward();
    await expect.poll(() => threadTitle(page, "500 Error on example.com").isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => threadTitle(page, "500 Error on example.com").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(page.url()).toBe(ticketUrl);

    // The form has a place too, and the thread's own Back goes to the list.
    await page.getByRole("button", { name: /Back to my tickets/ }).click();
    await expect.poll(() => listTitle(page).isVisible()).toBe(true);
    await page.getByRole("button", { name: "New ticket" }).click();
    expect(await hash(page)).toBe("#edgedesk=new");
    await page.reload();
    await expect.poll(() => page.getByLabel("Subject").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
  });

  it("a shared link: the ticket for whoever may see it, the list and a not-found message for anyone else", async () => {
    const first = await open(PANEL);
    await expectSignedIn(first.page);
    await (await ticketRow(first.page, "500 Error on example.com")).click();
    await expect.poll(() => threadTitle(first.page, "500 Error on example.com").isVisible()).toBe(true);
    const link = await hash(first.page);

    // Pasted into another browser that has access.
    const colleague = await open(PANEL, { hash: link });
    await expect
      .poll(() => threadTitle(colleague.page, "500 Error on example.com").isVisible(), { timeout: 10_000 })
      .toBe(true);

    // Someone of the same panel without access to it.
    const now = Math.floor(Date.now() / 1000);
    const stranger = await signEmbedToken(
      {
        iss: "demo",
        aud: "edgedesk",
        sub: "cust-url-stranger",
        email: "stranger@example.com",
        name: "Sam Stranger",
        role: "customer",
        services: [],
        iat: now,
        exp: now + 600,
      },
      DEMO_EMBED_KEYS.demo,
    );
    const other = await open(PANEL, { hash: link, token: stranger });
    await expect
      .poll(() => other.page.getByRole("alert").textContent(), { timeout: 10_000 })
      .toContain("No such ticket");
    await expect.poll(() => listTitle(other.page).isVisible()).toBe(true);
    expect(await threadTitle(other.page, "500 Error on example.com").count()).toBe(0);
  });

  it("two widgets keep two places: each its own prefix, the other's left as it is", async () => {
    const body = `<edgedesk-tickets id="nw" route-prefix="nw" api="${PANEL_ORIGIN}" tenant="demo"></edgedesk-tickets>
      <edgedesk-tickets id="bb" route-prefix="bb" api="${PANEL_ORIGIN}" tenant="demo-reseller"></edgedesk-tickets>
      <script>
        document.getElementById("nw").tokenProvider = ${PROVIDER};
        document.getElementById("bb").tokenProvider = async () => (await fetch("/demo/token/carol")).text();
      </script>${SCRIPT}`;
    const { page } = await open(body);
    await expectSignedIn(page, "#nw");
    const bluebird = page.locator("#bb");
    await bluebird.getByRole("button", { name: /Can't log in to webmail/ }).click();
    await expect.poll(() => threadTitle(page, "Can't log in to webmail").isVisible()).toBe(true);
    await page.locator("#nw").getByRole("button", { name: "New ticket" }).click();
    await expect.poll(() => hash(page)).toMatch(/^#bb=ticket\/[\w-]+&nw=new$/);
    // Northwind's move did not move Bluebird's.
    expect(await threadTitle(page, "Can't log in to webmail").isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => threadTitle(page, "Can't log in to webmail").isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator("#nw").getByLabel("Subject").isVisible()).toBe(true);
  });
});

describe("a guest's private link", () => {
  it("the link page says what the link is; the ticket opened by it has no way back to a list, and says keep it private", async () => {
    // The guest's link must point at a page of an origin the tenant allows: the demo's own.
    const widget = `<edgedesk-tickets api="${demoUrl}" tenant="demo"></edgedesk-tickets>
      <script type="module" src="${demoUrl}/widget/edgedesk.js"></script>`;
    const { page, errors } = await open(widget, { origin: demoUrl });
    await page.getByLabel("Your name").fill("Gina Guest");
    await page.getByLabel("Your email").fill("gina@example.net");
    await page.getByLabel("Department").selectOption("billing");
    await page.getByLabel("Subject").fill("Where is my invoice for November");
    await page.getByLabel("Message").fill("It never arrived by mail.");
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => page.getByRole("heading", { name: en.guestLinkTitle }).isVisible()).toBe(true);
    expect(await page.getByText(en.guestLinkHint).isVisible()).toBe(true);
    // The page's own address is the private link now: a reload lands on the ticket.
    expect(await hash(page)).toMatch(/edgedesk-key=[\w-]{20,}/);

    await page.getByRole("button", { name: "View ticket" }).click();
    await expect.poll(() => threadTitle(page, "Where is my invoice for November").isVisible()).toBe(true);
    expect(await page.getByText(en.guestLinkOpened).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /Back to my tickets/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "My tickets" }).count()).toBe(0);

    await page.reload();
    await expect
      .poll(() => threadTitle(page, "Where is my invoice for November").isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await page.getByText(en.guestLinkOpened).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /Back to my tickets/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
