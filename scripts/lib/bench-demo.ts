/** The seeded demo the browser benches load: migrated and seeded in a temporary directory, with a Chromium; all gone after. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { seedDemo } from "../../demo/seed";
import { launchBrowser } from "./chromium";
import { startDemoServer } from "./demo-server";
import { applyMigrations, freePort } from "./dev-server";

export async function withSeededDemo<T>(use: (browser: Browser, demoUrl: string) => Promise<T>): Promise<T> {
  const state = await mkdtemp(join(tmpdir(), "edgedesk-bench-demo-"));
  try {
    await applyMigrations(state);
    const server = await startDemoServer({ port: await freePort(), persistTo: state, quiet: true });
    try {
      await seedDemo(server.url);
      const browser = await launchBrowser();
      try {
        return await use(browser, server.url);
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
