/**
 * The settings' Webhooks section in real Chromium against the demo Worker: a reseller's admin adds
 * an event webhook endpoint, sees its secret once (focused, with a copy button), never again after
 * a reload; sends it a test event that a receiver on this machine answers; sees the delivery; and
 * removes it. Field errors stand at their fields. Fresh tenants per test (admin-harness.ts).
 */
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildAdminElements, createDesk, openAdminPage, tokenFor } from "./admin-harness";
import { launchBrowser, runAxe, screenshot, shadowText, summarize } from "./browser";

const demoUrl = inject("demoUrl");
const SETTINGS = "edgedesk-console-settings";
let browser: Browser;
let built: string;
let receiver: Server;
/** What the receiver got: each POST's webhook-id and event type. */
const received: { id: string; type: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const parsed = JSON.parse(body || "{}") as { type?: string };
      received.push({ id: String(req.headers["webhook-id"] ?? ""), type: parsed.type ?? "" });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  [browser, built] = await Promise.all([launchBrowser(), buildAdminElements()]);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  if (built) await rm(built, { recursive: true, force: true });
});

const webhooks = (el: Locator) =>
  el.locator("section.section").filter({ has: el.page().getByRole("heading", { name: "Webhooks", exact: true }) });

describe("<edgedesk-console-settings>, Webhooks", () => {
  it("adds an endpoint with its secret shown once, tests it, lists its delivery, and removes it", async () => {
    const desk = await createDesk(demoUrl, "hooks");
    const token = await tokenFor(desk.reseller, desk.resellerKey, { sub: "frank", role: "admin", name: "Frank Admin" });
    const { page, context, errors } = await openAdminPage(browser, demoUrl, built, [
      { tag: SETTINGS, tenant: desk.reseller, token },
    ]);
    const section = webhooks(page.locator(SETTINGS));
    await expect.poll(() => section.getByText("No webhook endpoints yet.").count()).toBe(1);

    // A bad URL: the reason at the field, nothing added.
    const url = section.getByLabel("Endpoint URL");
    await url.fill("http://crm.bluebird.example/in");
    await url.press("Tab");
    await section.getByRole("button", { name: "Add endpoint" }).click();
    await expect.poll(() => url.getAttribute("aria-invalid")).toBe("true");
    expect(await section.locator(".error").first().textContent()).toMatch(/must be https/);
    expect(await section.getByText("No webhook endpoints yet.").count()).toBe(1);

    const events = section.getByRole("group", { name: "Events" });
    expect(await events.getByRole("checkbox", { name: "Ticket created" }).isChecked()).toBe(true);
    await events.getByRole("checkbox", { name: "Status changed" }).check();
    const port = (receiver.address() as AddressInfo).port;
    const target = `http://127.0.0.1:${port}/edgedesk`;
    await url.fill(target);
    await url.press("Tab");
    await section.getByLabel("What it is for (optional)").fill("Bluebird CRM");
    await section.getByRole("button", { name: "Add endpoint" }).click();

    const shown = section.locator("code.secret");
    await expect.poll(() => shown.count()).toBe(1);
    const secret = (await shown.textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    expect(await section.locator(".once").textContent()).toContain("you will not see it again");
    await expect
      .poll(() => page.evaluate((tag) => document.querySelector(tag)?.shadowRoot?.activeElement?.id, SETTINGS))
      .toBe("webhook-secret");
    await expect.poll(() => section.locator("li.endpoint").textContent()).toContain("Ticket created, Status changed");
    expect(summarize(await runAxe(page))).toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, "console-webhooks");

    // Never shown again: not after a reload; the list still has it.
    await page.reload();
    await expect.poll(() => section.locator("li.endpoint").count()).toBe(1);
    expect(await section.locator("li.endpoint code").textContent()).toBe(target);
    // What the endpoint is for, as the admin named it, heads its entry.
    expect(await section.locator("li.endpoint strong").first().textContent()).toBe("Bluebird CRM");
    expect(await shadowText(page, SETTINGS)).not.toContain(secret.slice(6));

    await section.getByRole("button", { name: `Send test ${target}` }).click();
    await expect
      .poll(() => section.locator("li.endpoint [role=status]").textContent())
      .toBe("Test delivered: HTTP 204.");
    expect(received.map((r) => r.type)).toContain("webhook.test");
    await section.getByRole("button", { name: `Recent deliveries ${target}` }).click();
    await expect.poll(() => section.locator("li.endpoint table tbody tr").count()).toBe(1);
    expect(await section.locator("li.endpoint table tbody tr").textContent()).toMatch(/webhook\.test.*delivered/);
    expect(summarize(await runAxe(page))).toEqual([]);

    await section.getByRole("button", { name: `Remove ${target}` }).click();
    await section.getByRole("button", { name: "Yes, remove" }).click();
    await expect.poll(() => section.getByText("No webhook endpoints yet.").count()).toBe(1);
    await page.reload();
    await expect.poll(() => section.getByText("No webhook endpoints yet.").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
