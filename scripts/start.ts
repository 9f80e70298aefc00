/**
 * `npm start`: the demo on local D1/R2. Builds the widget, applies the migrations, starts the demo
 * Worker under wrangler dev (which serves the built widget) with wrangler.toml's Cron Triggers
 * firing on schedule, seeds the demo tenants and tickets, and prints where to look.
 * PORT overrides the port (default 8787).
 */
import { join } from "node:path";
import { seedDemo } from "../demo/seed";
import { buildWidget } from "./lib/build-widget";
import { startDemoServer } from "./lib/demo-server";
import { applyMigrations, ROOT } from "./lib/dev-server";
import { readCrons, runNowCommand } from "./lib/scheduler";

const port = Number(process.env.PORT ?? 8787);

await buildWidget();
await applyMigrations();
const server = await startDemoServer({ port, runCrons: true });
const { seeded } = await seedDemo(server.url).catch(async (error: unknown) => {
  await server.stop();
  throw error;
});
const crons = readCrons(join(ROOT, "wrangler.toml"));

console.log(`
  Edgedesk demo is running${seeded ? " (demo data seeded)" : ""}.

    Control panel demo   ${server.url}/demo/
    On-call alert log    ${server.url}/demo/alerts
    API reference        ${server.url}/api/v1/docs
    OpenAPI document     ${server.url}/api/v1/openapi.json

  Cron Triggers (${crons.map((c) => `"${c}"`).join(", ")}, UTC) fire on schedule by themselves.
  To run them now (not wrangler's /cdn-cgi/handler/scheduled, which fails with [assets]):
    ${crons.map((c) => runNowCommand(server.url, c)).join("\n    ")}

  Press Ctrl+C to stop.
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
server.process.on("exit", (code) => process.exit(code ?? 0));
