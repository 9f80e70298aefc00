/**
 * Every way a panel wires the widget in, in Chromium: where the script tag is and how it loads,
 * when the token provider comes, elements made by script, a framework's re-render, two widgets,
 * the script twice, and inputs that change after the first render. The page is
 * https://desk.example.com/panel/ (see embed-page.ts); "signed in" means Alice's own tickets under
 * Northwind's brand, never the guest form.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";
import { enAttachments } from "../../widget/locales/en-attachments";
import { launchBrowser, shadowText } from "./browser";
import {
  ELEMENT,
  expectSignedIn,
  html,
  openEmbedPage,
  PANEL_ORIGIN,
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

async function open(body: string, head = ""): Promise<PanelPage> {
  const panel = await openEmbedPage(browser, html(body, head));
  opened.push(panel);
  return panel;
}

/** An embed snippet as the docs print it: the first ```html block of `file`. */
async function snippetOf(file: string): Promise<string> {
  const doc = await readFile(join(ROOT, file), "utf8");
  const snippet = /```html\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!snippet) throw new Error(`${file} has no \`\`\`html block`);
  return snippet;
}

describe("script and element, in every order a panel writes them", () => {
  it("runs the docs' snippet byte for byte: the signed-in customer sees their tickets", async () => {
    const snippet = await snippetOf("docs/embedding.md");
    expect(snippet).toContain("<edgedesk-tickets");
    const { page, errors } = await open(snippet);
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("runs the README's console snippet byte for byte: the agent sees the queue", async () => {
    const snippet = await snippetOf("README.md");
    expect(snippet).toContain("<edgedesk-console");
    const origin = /src="(https:\/\/[^/"]+)/.exec(snippet)?.[1];
    const panel = await openEmbedPage(browser, html(snippet), { origin });
    opened.push(panel);
    await expect
      .poll(() => panel.page.locator("edgedesk-console-queue tbody tr").count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await shadowText(panel.page, "edgedesk-console")).toContain("Northwind Support · Support console");
    expect(panel.errors).toEqual([]);
  });

  it("script tag before the element, a static token attribute", async () => {
    const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
    const { page, errors } = await open(
      `<edgedesk-tickets api="${PANEL_ORIGIN}" tenant="acme" token="${token}"></edgedesk-tickets>`,
      SCRIPT,
    );
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("script tag after the element (the provider set before the class exists)", async () => {
    const { page, errors } = await open(`${ELEMENT}${SET_PROVIDER}${SCRIPT}`);
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("defer", async () => {
    const { page, errors } = await open(
      `${ELEMENT}${SET_PROVIDER}`,
      `<script type="module" defer src="${PANEL_ORIGIN}/widget/edgedesk.js"></script>`,
    );
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("async (the module may run before or after the provider is set)", async () => {
    const { page, errors } = await open(
      `${ELEMENT}${SET_PROVIDER}`,
      `<script type="module" async src="${PANEL_ORIGIN}/widget/edgedesk.js"></script>`,
    );
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("the provider set later by a module script: the session starts again, and the person's draft is found", async () => {
    // Alice left a draft on an earlier visit (the form keeps it per tenant and person).
    const first = await open(`${ELEMENT}${SET_PROVIDER}${SCRIPT}`);
    await expectSignedIn(first.page);
    await first.page.getByRole("button", { name: "New ticket" }).click();
    await first.page.getByLabel("Subject").fill("Draft from before the provider came");
    const draft = await first.page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    await first.context.close();

    const later = await open(`${ELEMENT}${SCRIPT}`);
    const { page } = later;
    // A new context: the draft is put back where the earlier visit left it.
    await page.evaluate((entries) => {
      for (const [key, value] of JSON.parse(entries) as [string, string][]) localStorage.setItem(key, value);
    }, draft);
    // No provider yet: the widget runs as a guest.
    await expect.poll(() => page.getByLabel("Your name").isVisible()).toBe(true);
    await page.addScriptTag({
      type: "module",
      content: `document.querySelector("edgedesk-tickets").tokenProvider = ${PROVIDER};`,
    });
    await expectSignedIn(page);
    await page.getByRole("button", { name: "New ticket" }).click();
    await expect.poll(() => page.getByLabel("Subject").inputValue()).toBe("Draft from before the provider came");
  });
});

describe("elements made by script", () => {
  it("document.createElement, every property set before insertion and before the class is defined: all kept", async () => {
    const { page, errors } = await open(
      `<div id="support"></div><script>
        const el = document.createElement("edgedesk-tickets");
        Object.assign(el, { api: "${PANEL_ORIGIN}", tenant: "acme", lang: "ru", routePrefix: "support", tokenProvider: ${PROVIDER} });
        document.getElementById("support").append(el);
      </script>${SCRIPT}`,
    );
    await expectSignedIn(page);
    // In Russian, and its place in the URL under its own name.
    expect(await page.getByRole("heading", { name: "Мои обращения" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: /500 Error on example\.com/ }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#support=ticket\/[\w-]+$/);
    expect(errors).toEqual([]);
  });

  it("document.createElement, inserted first and configured a while after its first render", async () => {
    const { page, errors } = await open(
      `<div id="support"></div>${SCRIPT}<script type="module">
        const el = document.createElement("edgedesk-tickets");
        document.getElementById("support").append(el);
        await customElements.whenDefined("edgedesk-tickets");
        await el.updateComplete;
        // The panel asks its own backend first.
        await new Promise((resolve) => setTimeout(resolve, 500));
        el.setAttribute("api", "${PANEL_ORIGIN}");
        el.setAttribute("tenant", "acme");
        await new Promise((resolve) => setTimeout(resolve, 300));
        el.tokenProvider = ${PROVIDER};
      </script>`,
    );
    await expectSignedIn(page);
    expect(errors).toEqual([]);
  });

  it("a framework's re-render (taken out and put back): the typed draft and an upload in progress go on", async () => {
    const { page, errors } = await open(`<div id="a">${ELEMENT}</div><div id="b"></div>${SET_PROVIDER}${SCRIPT}`);
    await expectSignedIn(page);
    await page.getByRole("button", { name: "New ticket" }).click();
    await page.getByLabel("Subject").fill("Typed before the re-render");
    // The upload is held until the widget has been moved.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/v1/acme/uploads?*", async (route) => {
      await held;
      await route.fallback();
    });
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([
        { name: "server.log", mimeType: "text/plain", buffer: Buffer.from("09:10 upstream timed out\n") },
      ]);
    const item = page.locator("edgedesk-tickets li.upload").filter({ hasText: "server.log" });
    await expect.poll(() => item.isVisible()).toBe(true);
    await page.evaluate(() => {
      const el = document.querySelector("edgedesk-tickets") as HTMLElement;
      el.remove();
      document.getElementById("b")!.appendChild(el);
      document.getElementById("a")!.appendChild(el);
    });
    release();
    await expect.poll(() => item.locator(".status").textContent()).toBe(enAttachments.uploaded);
    expect(await page.getByLabel("Subject").inputValue()).toBe("Typed before the re-render");
    expect(errors).toEqual([]);
  });
});

describe("more than one", () => {
  it("two widgets on one page, two tenants, each with its own brand, person and place in the URL", async () => {
    const { page, errors } = await open(
      `<edgedesk-tickets id="nw" route-prefix="nw" api="${PANEL_ORIGIN}" tenant="demo"></edgedesk-tickets>
      <edgedesk-tickets id="bb" route-prefix="bb" api="${PANEL_ORIGIN}" tenant="demo-reseller"></edgedesk-tickets>
      <script>
        document.getElementById("nw").tokenProvider = ${PROVIDER};
        document.getElementById("bb").tokenProvider = async () => (await fetch("/demo/token/carol")).text();
      </script>${SCRIPT}`,
    );
    await expectSignedIn(page, "#nw");
    const bluebird = page.locator("#bb");
    await expect
      .poll(() => bluebird.getByRole("button", { name: /Can't log in to webmail/ }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await shadowText(page, "#bb")).toContain("Bluebird Help Desk");
    expect(await bluebird.getByRole("button", { name: /500 Error on example\.com/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("the script loaded twice (two URLs, so it runs twice): no 'already defined', the widget works", async () => {
    const { page, errors } = await open(
      `${SCRIPT}${ELEMENT}${SET_PROVIDER}<script type="module" src="${PANEL_ORIGIN}/widget/edgedesk.js?v=2"></script>`,
    );
    await expectSignedIn(page);
    await page.waitForLoadState("networkidle");
    expect(errors).toEqual([]);
  });
});

describe("inputs changed after the first render", () => {
  it("a new tenant and token: the new tenant's brand and tickets, nothing of the old", async () => {
    const { page, errors } = await open(`${ELEMENT}${SET_PROVIDER}${SCRIPT}`);
    await expectSignedIn(page);
    await page.evaluate(() => {
      const el = document.querySelector("edgedesk-tickets") as HTMLElement & { tokenProvider: () => Promise<string> };
      el.setAttribute("tenant", "demo-reseller");
      el.tokenProvider = async () => (await fetch("/demo/token/carol")).text();
    });
    const widget = page.locator("edgedesk-tickets");
    await expect
      .poll(() => widget.getByRole("button", { name: /Can't log in to webmail/ }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    const text = await shadowText(page, "edgedesk-tickets");
    expect(text).toContain("Bluebird Help Desk");
    expect(text).not.toContain("Northwind Support");
    expect(await widget.getByRole("button", { name: /500 Error on example\.com/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a new lang: the strings of the new language", async () => {
    const { page } = await open(`${ELEMENT}${SET_PROVIDER}${SCRIPT}`);
    await expectSignedIn(page);
    await page.evaluate(() => document.querySelector("edgedesk-tickets")!.setAttribute("lang", "ru"));
    await expect
      .poll(() => page.locator("edgedesk-tickets").getByRole("button", { name: "Новое обращение" }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByRole("button", { name: /500 Error on example\.com/ }).isVisible()).toBe(true);
  });
});
