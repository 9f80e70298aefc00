import { build } from "vite";
import { WIDGET_BUILDS } from "../../vite.config";
import { ROOT } from "./dev-server";

/**
 * Builds the widget into dist/public, as `npm run build` does: the customer widget, then the agent
 * console, each its own pass (vite.config.ts), so the console never touches the customer's bundle.
 */
export async function buildWidget(): Promise<void> {
  for (const config of WIDGET_BUILDS) await build({ ...config, configFile: false, root: ROOT });
}
