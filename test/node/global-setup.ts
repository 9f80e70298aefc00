import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { seedDemo } from "../../demo/seed";
import { buildWidget } from "../../scripts/lib/build-widget";
import { startDemoServer } from "../../scripts/lib/demo-server";
import { applyMigrations, type DevServer, freePort } from "../../scripts/lib/dev-server";

declare module "vitest" {
  interface ProvidedContext {
    /** Origin of the seeded demo Worker shared by the node project's tests, e.g. http://127.0.0.1:41234. */
    demoUrl: string;
  }
}

/**
 * Once per run of the node project: the steps of `npm start` (build the widget, apply the migrations,
 * start the demo Worker, seed it) on a scratch state directory and a free port. Without the Cron
 * Triggers' scheduler, so that no tick changes the shared demo mid-test: test/node/scheduled.test.ts
 * runs the stack with it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildWidget();
  const state = await mkdtemp(join(tmpdir(), "edgedesk-demo-"));
  let server: DevServer | undefined;
  const teardown = async () => {
    await server?.stop();
    await rm(state, { recursive: true, force: true });
  };
  try {
    await applyMigrations(state);
    server = await startDemoServer({ port: await freePort(), persistTo: state, quiet: true });
    const { seeded } = await seedDemo(server.url);
    if (!seeded) throw new Error("the demo was already seeded on a fresh state directory");
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("demoUrl", server.url);
  return teardown;
}
