/**
 * `npm start`: the demo on local D1/R2. Builds the widget, applies the migrations, starts the demo
 * Worker under wrangler dev (which serves the built widget), seeds the demo tenants and tickets,
 * and prints where to look.
 * PORT overrides the port (default 8787).
 */
import { seedDemo } from "../demo/seed";
import { buildWidget } from "./lib/build-widget";
import { startDemoServer } from "./lib/demo-server";
import { applyMigrations } from "./lib/dev-server";

const port = Number(process.env.PORT ?? 8787);

await buildWidget();
await applyMigrations();
const server = await startDemoServer({ port });
const { seeded } = await seedDemo(server.url).catch(async (error: unknown) => {
  await server.stop();
  throw error;
});

console.log(`
  Edgedesk demo is running${seeded ? " (demo data seeded)" : ""}.

    Control panel demo   ${server.url}/demo/
    On-call alert log    ${server.url}/demo/alerts
    API reference        ${server.url}/api/v1/docs
    OpenAPI document     ${server.url}/api/v1/openapi.json

  Press Ctrl+C to stop.
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
server.process.on("exit", (code) => process.exit(code ?? 0));
