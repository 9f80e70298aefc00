import { DEMO_ADMIN_SECRET, DEMO_SECRETS_KEY } from "../../demo/constants";
import { startDevServer, type DevServer } from "./dev-server";

/** The demo Worker under wrangler dev, as `npm start` runs it (also used by the demo's test). */
export function startDemoServer(options: { port: number; persistTo?: string; quiet?: boolean }): Promise<DevServer> {
  return startDevServer({
    script: "demo/worker.ts",
    port: options.port,
    quiet: options.quiet ?? false,
    ...(options.persistTo !== undefined && { persistTo: options.persistTo }),
    vars: {
      ADMIN_SECRET: DEMO_ADMIN_SECRET,
      SECRETS_KEY: DEMO_SECRETS_KEY,
      PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    },
  });
}
