/** `npm run build`: the customer widget and the agent console into dist/public (two vite passes). */
import { buildWidget } from "./lib/build-widget";

await buildWidget();
