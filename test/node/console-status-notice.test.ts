/**
 * The settings screen's Status notice section in real Chromium against the demo Worker: a reseller
 * admin sets a notice with its window, sees a bad window refused at its field, turns the status
 * page's webhook on, and clears the notice; the customer widget's /config follows.
 */
import { rm } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildAdminElements, createDesk, openAdminPage, tokenFor } from "./admin-harness";
import { launchBrowser, runAxe, screenshot, summarize } from "./browser";

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

const notice = async (tenant: string) =>
  ((await (await fetch(`${demoUrl}/api/v1/${tenant}/config`)).json()) as { statusNotice: { text: string } | null })
    .statusNotice;

/** A `datetime-local` value `hours` from now, in the browser's (and this process's) time zone. */
const local = (hours: number) => {
  const d = new Date(Date.now() + hours * 3_600_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

describe("<edgedesk-console-settings>, the status notice", () => {
  it("sets a notice for the customer widget, refuses a bad window at its field, turns the webhook on, clears it", async () => {
    const desk = await createDesk(demoUrl, "status");
    const token = await tokenFor(desk.reseller, desk.resellerKey, { sub: "frank", role: "admin", name: "Frank Admin" });
    const { page, context, errors } = await openAdminPage(browser, demoUrl, built, [
      { tag: "edgedesk-console-settings", tenant: desk.reseller, token },
    ]);
    const el = page.locator("edgedesk-console-settings");
    const part = el.locator("#section-status");
    await expect.poll(() => part.locator("p.hint").first().textContent()).toMatch(/No notice is set/);

    await part.getByLabel("Notice", { exact: true }).fill("Mail delays on vps7 — no need to file a ticket");
    await part.getByLabel("Kind").selectOption("incident");
    await part.getByLabel("Show until (optional)").fill(local(-1));
    await part.getByRole("button", { name: "Save notice" }).click();
    const until = part.getByLabel("Show until (optional)");
    await expect.poll(() => until.getAttribute("aria-invalid")).toBe("true");
    expect(await part.locator(".error").textContent()).toMatch(/already passed/);
    expect(await notice(desk.reseller)).toBeNull();

    await until.fill(local(2));
    await part.getByLabel("Affected services or hosts (optional)").fill("vps7");
    await part.getByRole("button", { name: "Save notice" }).click();
    await expect.poll(() => part.getByRole("status").textContent()).toBe("Saved.");
    expect(await until.getAttribute("aria-invalid")).toBe("false");
    await expect.poll(() => part.locator("p.hint").first().textContent()).toMatch(/Customers see this notice now/);
    expect(await notice(desk.reseller)).toMatchObject({ text: "Mail delays on vps7 — no need to file a ticket" });
    expect(await notice(desk.provider)).toBeNull();

    await part.getByRole("button", { name: "New webhook secret" }).click();
    await expect.poll(() => part.locator("code.secret").textContent()).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(summarize(await runAxe(page, "edgedesk-console-settings"))).toEqual([]);
    await screenshot(page, "console-status-notice");

    await part.getByRole("button", { name: "Clear notice" }).click();
    await expect.poll(() => part.getByRole("status").textContent()).toBe("Notice cleared.");
    expect(await notice(desk.reseller)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});
