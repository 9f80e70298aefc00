import { join } from "node:path";
import { build } from "vite";
import { ROOT } from "./dev-server";

/** Builds the widget into dist/public with vite.config.ts, as `npm run build` does. */
export async function buildWidget(): Promise<void> {
  await build({ root: ROOT, configFile: join(ROOT, "vite.config.ts") });
}
