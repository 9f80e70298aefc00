import { join } from "node:path";
import { DEMO_ADMIN_SECRET, DEMO_SECRETS_KEY } from "../../demo/constants";
import { type DevServer, ROOT, startDevServer } from "./dev-server";
import { readCrons, type ScheduledRun, startScheduler } from "./scheduler";

/**
 * The demo Worker under wrangler dev, as `npm start` runs it (also used by the tests). With
 * `runCrons`, wrangler.toml's Cron Triggers fire on their schedule too, as they do once deployed.
 */
export async function startDemoServer(options: {
  port: number;
  persistTo?: string;
  quiet?: boolean;
  runCrons?: boolean;
  onScheduledRun?: (run: ScheduledRun) => void;
}): Promise<DevServer> {
  const server = await startDevServer({
    script: "demo/worker.ts",
    port: options.port,
    quiet: options.quiet ?? false,
    ...(options.persistTo !== undefined && { persistTo: options.persistTo }),
    vars: {
      ADMIN_SECRET: DEMO_ADMIN_SECRET,
      SECRETS_KEY: DEMO_SECRETS_KEY,
      PUBLIC_URL: `http://127.0.0.1:${options.port}`,
      // The demo's routes exist only where this is set (demo/worker.ts); never in wrangler.toml.
      DEMO: "true",
    },
  });
  if (!options.runCrons) return server;
  const scheduler = startScheduler({
    origin: server.url,
    crons: readCrons(join(ROOT, "wrangler.toml")),
    ...(options.onScheduledRun && { onRun: options.onScheduledRun }),
  });
  return {
    ...server,
    async stop() {
      scheduler.stop();
      await server.stop();
    },
  };
}
