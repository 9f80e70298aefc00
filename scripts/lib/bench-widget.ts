/**
 * The widget's cost to the panel page: the gzipped and Brotli bytes of every widget file (and which ones
 * the demo page's first view loads), and the page's main-thread time in Chromium, beside the
 * same page with the widget's files blocked, at full speed and again with Chromium's CPU slowed
 * down BENCH_CPU_THROTTLE times (default 4, DevTools' "4× slowdown": a mid-range phone; 1 skips
 * it) through CDP `Emulation.setCPUThrottlingRate`. Measures dist/public as built: run from
 * scripts/bench.ts (which builds first), or on its own after `npm run build`:
 *   npx tsx -e 'import("./scripts/lib/bench-widget.ts").then(async m => m.printWidgetBench(await m.benchWidget()))'
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { withSeededDemo } from "./bench-demo";
import { figure } from "./bench-figures";
import { ROOT } from "./dev-server";

const WIDGET_DIR = join(ROOT, "dist/public/widget");
const ENTRY = "edgedesk.js";
/** The agent console's entry: staff pages load it (and nothing else first, in English); never the customer's page. */
const CONSOLE_ENTRY = "edgedesk-console.js";
/** Cold loads per page; the median is reported. */
const LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 5);
/** The CPU slowdown of the second round of loads (CDP Emulation.setCPUThrottlingRate); 1: no second round. */
const THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 4);

export interface WidgetFile {
  /** Path under /widget/, e.g. `edgedesk.js` or `chunks/thread-view-1a2b3c4d.js`. */
  path: string;
  bytes: number;
  gzipped: number;
  /** Brotli at quality 11: what Cloudflare sends browsers that accept it. */
  brotli: number;
  /** Fetched by the demo page's first view (cold cache, Alice's ticket list). */
  firstView: boolean;
}

/** Main-thread time of one page load, from CDP `Performance.getMetrics`, in milliseconds. */
export interface MainThread {
  scriptMs: number;
  layoutMs: number;
  taskMs: number;
}

/** Cold loads of the demo page each way, alternating. */
export interface PageLoads {
  /** One per cold load (BENCH_PAGE_LOADS of them). */
  withWidget: MainThread[];
  /** The same panel page with every /widget/ request aborted: what the page costs on its own. */
  withoutWidget: MainThread[];
}

export interface WidgetBench extends PageLoads {
  files: WidgetFile[];
  /** The same loads with the CPU slowed down `rate` times; null when BENCH_CPU_THROTTLE is 1. */
  throttled: (PageLoads & { rate: number }) | null;
}

/** Loads `url` in a fresh context (cold cache) and returns main-thread time and the /widget/ files fetched. */
async function loadPage(
  browser: Browser,
  url: string,
  blockWidget: boolean,
  throttle = 1,
): Promise<{ time: MainThread; fetched: string[] }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (blockWidget) await page.route("**/widget/**", (route) => route.abort());
    const fetched: string[] = [];
    page.on("response", (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith("/widget/") && res.ok()) fetched.push(path.slice("/widget/".length));
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    await page.goto(url);
    if (!blockWidget) await page.evaluate(() => customElements.whenDefined("edgedesk-tickets"));
    // The element fetches its config and the ticket list, then renders: wait for all of it.
    await page.waitForLoadState("networkidle");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    return {
      time: { scriptMs: metric("ScriptDuration"), layoutMs: metric("LayoutDuration"), taskMs: metric("TaskDuration") },
      fetched,
    };
  } finally {
    await context.close();
  }
}

export function benchWidget(): Promise<WidgetBench> {
  return withSeededDemo(async (browser, demoUrl) => {
    const page = `${demoUrl}/demo/?user=alice`;
    const fetched = new Set<string>();
    const loads = async (throttle: number): Promise<PageLoads> => {
      const withWidget: MainThread[] = [];
      const withoutWidget: MainThread[] = [];
      // One warm-up of each (workerd compiles, Chromium starts its renderer), then alternate.
      await loadPage(browser, page, false, throttle);
      await loadPage(browser, page, true, throttle);
      for (let i = 0; i < LOADS; i++) {
        const loaded = await loadPage(browser, page, false, throttle);
        for (const f of loaded.fetched) fetched.add(f);
        withWidget.push(loaded.time);
        withoutWidget.push((await loadPage(browser, page, true, throttle)).time);
      }
      return { withWidget, withoutWidget };
    };
    const { withWidget, withoutWidget } = await loads(1);
    const throttled = THROTTLE > 1 ? { rate: THROTTLE, ...(await loads(THROTTLE)) } : null;
    const built = (await readdir(WIDGET_DIR, { recursive: true })).filter((f) => f.endsWith(".js"));
    const files = await Promise.all(
      built.map(async (path): Promise<WidgetFile> => {
        const body = await readFile(join(WIDGET_DIR, path));
        const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        return {
          path,
          bytes: body.length,
          gzipped: gzipSync(body, { level: 9 }).length,
          brotli,
          firstView: fetched.has(path),
        };
      }),
    );
    files.sort(
      (a, b) =>
        Number(b.path === ENTRY) - Number(a.path === ENTRY) ||
        Number(b.firstView) - Number(a.firstView) ||
        a.path.localeCompare(b.path),
    );
    return { files, withWidget, withoutWidget, throttled };
  });
}

export function printWidgetBench(r: WidgetBench): void {
  const kb = (n: number) => n.toLocaleString("en").padStart(10);
  const firstView = r.files.filter((f) => f.firstView);
  const sum = (pick: (f: WidgetFile) => number) => firstView.reduce((n, f) => n + pick(f), 0);
  console.log(
    '\nWidget: the files vite built into dist/public/widget (gzip level 9); "first view" = fetched by /demo/ on a cold load.\n',
  );
  console.log(
    `${"file".padEnd(46)}${"bytes".padStart(10)}${"gzipped".padStart(10)}${"brotli".padStart(10)}   first view`,
  );
  for (const f of r.files) {
    console.log(
      `${(f.path === ENTRY ? `${f.path} (entry)` : f.path).padEnd(46)}${kb(f.bytes)}${kb(f.gzipped)}${kb(f.brotli)}   ${f.firstView ? "yes" : "on demand"}`,
    );
  }
  console.log(`${"first view".padEnd(56)}${kb(sum((f) => f.gzipped))}${kb(sum((f) => f.brotli))}`);
  const console_ = r.files.find((f) => f.path === CONSOLE_ENTRY);
  if (console_)
    console.log(`${"agent console's first view (its entry)".padEnd(56)}${kb(console_.gzipped)}${kb(console_.brotli)}`);
  printPageLoads(r, "");
  if (r.throttled)
    printPageLoads(r.throttled, `, CPU slowed down ${r.throttled.rate}× (Emulation.setCPUThrottlingRate)`);
}

function printPageLoads(r: PageLoads, how: string): void {
  console.log(
    `\nMain thread of the demo panel page in Chromium (CDP Performance.getMetrics)${how}, ${r.withWidget.length} cold loads each way;`,
  );
  console.log(
    "the baseline is the same page with every /widget/ request blocked. Median (lowest–highest); ratios pair the i-th loads.\n",
  );
  const cell = (values: number[], digits = 1) => figure(values, digits).padStart(22);
  const row = (label: string, t: MainThread[]) =>
    console.log(
      `${label.padEnd(46)}${cell(t.map((x) => x.scriptMs))}${cell(t.map((x) => x.layoutMs))}${cell(t.map((x) => x.taskMs))}`,
    );
  console.log(`${"page".padEnd(46)}${"script ms".padStart(22)}${"layout ms".padStart(22)}${"task ms".padStart(22)}`);
  row("/demo/ with the widget", r.withWidget);
  row("/demo/ with the widget blocked (baseline)", r.withoutWidget);
  const ratio = (pick: (t: MainThread) => number) =>
    cell(
      r.withWidget.map((t, i) => pick(t) / pick(r.withoutWidget[i] ?? t)),
      2,
    );
  console.log(`${"ratio ×".padEnd(46)}${ratio((t) => t.scriptMs)}${ratio((t) => t.layoutMs)}${ratio((t) => t.taskMs)}`);
  console.log(
    `${"the widget's own script ms (difference)".padEnd(46)}${cell(r.withWidget.map((t, i) => t.scriptMs - (r.withoutWidget[i]?.scriptMs ?? 0)))}`,
  );
}
