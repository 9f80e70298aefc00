/**
 * `npm run bench`: the local Worker (wrangler dev, local D1) under loopback load.
 * Every scenario is measured right after the same Worker's trivial endpoint (/healthz, no
 * storage), and reported as a ratio to it: the machine is shared and noisy, ratios are not.
 * Each figure is the median of BENCH_RUNS runs (default 3) with their range, and the machine's
 * load average is printed at the start and the end.
 *   BENCH_REQUESTS (default 1000) and BENCH_CONCURRENCY (default 16) size each run.
 * The console's queue: each saved view's first page over the same 100k tickets (scripts/lib/bench-queue.ts).
 * The Worker runs with DEBUG_D1_COUNTS, so each answer names its D1 round trips (`Edgedesk-D1`)
 * and the table shows them beside the timings.
 * Then requests in flight at once (50, 100, … 800, half creating, half reading) until one is lost,
 * the auto-close sweep over 10,000 due tickets (D1 time per close against a one-row update),
 * uploads of a 10 MiB file (against writing it to local R2 directly; workerd's peak memory by
 * file size), the tenant's export of those 100k tickets (size, time, workerd's peak memory;
 * scripts/lib/bench-export.ts), six-image thumbnails (scripts/lib/bench-thumbnails.ts), and the
 * widget: `vite build`, the gzipped bytes of each file, and the demo page's main-thread time in
 * Chromium beside the same page without the widget (BENCH_PAGE_LOADS, default 5), at full speed
 * and at BENCH_CPU_THROTTLE× CPU slowdown (default 4; 1 skips it).
 * `npm run profile` (scripts/profile.ts) is the same tenant under a CPU profiler, per scenario.
 */
import { rm } from "node:fs/promises";
import { benchAutoClose, printAutoCloseBench } from "./lib/bench-auto-close";
import { benchExport, printExportBench } from "./lib/bench-export";
import { figure, loadAverage, median, RUNS } from "./lib/bench-figures";
import { benchInFlight, printInFlightBench } from "./lib/bench-inflight";
import { queueBenchPaths } from "./lib/bench-queue";
import { BENCH_TICKET, BENCH_VARS, benchToken, CUSTOMERS, seedBenchTenant, TENANT_TICKETS } from "./lib/bench-tenant";
import { benchThumbnails, printThumbnailBench } from "./lib/bench-thumbnails";
import { benchUpload, printUploadBench } from "./lib/bench-upload";
import { benchWidget, printWidgetBench } from "./lib/bench-widget";
import { buildWidget } from "./lib/build-widget";
import { ROOT, startDevServer } from "./lib/dev-server";
import { type LoadResult, load } from "./lib/load";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const persistTo = `${ROOT}.wrangler/bench-${process.pid}`;
const port = 8900 + (process.pid % 90);

/** One request's D1 use as the Worker reports it: `calls=1; rows-read=9; rows-written=17`. */
interface D1Use {
  calls: number;
  rowsRead: number;
  rowsWritten: number;
}

function d1UseOf(res: Response): D1Use | null {
  const match = /^calls=(\d+); rows-read=(\d+); rows-written=(\d+)$/.exec(res.headers.get("edgedesk-d1") ?? "");
  return match ? { calls: Number(match[1]), rowsRead: Number(match[2]), rowsWritten: Number(match[3]) } : null;
}

interface Scenario {
  name: string;
  send: () => Promise<Response>;
  expect: number;
  runs: { r: LoadResult; base: LoadResult }[];
  d1: D1Use[];
}

async function main(): Promise<void> {
  await rm(persistTo, { recursive: true, force: true });
  const now = Date.now();
  console.log(`Seeding a tenant with ${TENANT_TICKETS.toLocaleString("en")} tickets (${CUSTOMERS} customers)…`);
  await seedBenchTenant(persistTo, now);
  const server = await startDevServer({
    script: "worker/index.ts",
    port,
    persistTo,
    quiet: true,
    vars: BENCH_VARS,
  });
  try {
    const token = benchToken;
    const customer = await token("user-7", "customer");
    const agent = await token("agent-1", "agent");
    const get = (path: string, bearer?: string) => () =>
      fetch(`${server.url}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
    // Customers of their own file the benchmark's tickets, so user-7's list stays 100 tickets long;
    // ten of them, taking turns, so the runs stay within the tenant's limits per person and per IP
    // (1000 a minute each). wrangler dev says 127.0.0.1 for every caller, so each filer names its
    // own client address (a header only: every request still goes to loopback).
    const filers = await Promise.all(Array.from({ length: 10 }, (_, i) => token(`user-filer-${i}`, "customer")));
    const ipOf = new Map(filers.map((bearer, i) => [bearer, `127.0.1.${i + 1}`]));
    const createRequest = (bearer: string): RequestInit => ({
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "content-type": "application/json",
        "cf-connecting-ip": ipOf.get(bearer) ?? "127.0.1.100",
      },
      body: JSON.stringify(BENCH_TICKET),
    });
    const createAs = (bearer: string) => () => fetch(`${server.url}/api/v1/bench/tickets`, createRequest(bearer));
    let turn = 0;
    const nextFiler = () => filers[turn++ % filers.length]!;
    const create = () => createAs(nextFiler())();
    const viewed = ((await (await createAs(customer)()).json()) as { ticket: { id: string } }).ticket.id;
    const scenario = (name: string, send: () => Promise<Response>, expect = 200): Scenario => ({
      name,
      send,
      expect,
      runs: [],
      d1: [],
    });
    const scenarios: Scenario[] = [
      scenario("create a ticket (POST /tickets)", create, 201),
      scenario("customer's ticket, one message (GET /tickets/{id})", get(`/api/v1/bench/tickets/${viewed}`, customer)),
      scenario("customer's tickets, first page (101 of 100k)", get("/api/v1/bench/tickets?limit=25", customer)),
      scenario("agent queue, first page (100k)", get("/api/v1/bench/tickets?limit=25", agent)),
      scenario("agent queue, status=open (20k of 100k)", get("/api/v1/bench/tickets?limit=25&status=open", agent)),
      scenario("public form config (GET /config)", get("/api/v1/bench/config")),
      ...queueBenchPaths("bench", TENANT_TICKETS).map(({ name, path }) => scenario(name, get(path, agent))),
    ];
    const baseline = get("/healthz");
    await load({ requests: 100, concurrency: CONCURRENCY, send: baseline, expect: 200 });
    for (const s of scenarios) await load({ requests: 100, concurrency: CONCURRENCY, send: s.send, expect: s.expect });

    // Runs interleaved (every scenario once, then again), so a noisy minute spreads over all of them.
    for (let run = 0; run < RUNS; run++) {
      for (const s of scenarios) {
        const base = await load({ requests: REQUESTS, concurrency: CONCURRENCY, send: baseline, expect: 200 });
        const r = await load({
          requests: REQUESTS,
          concurrency: CONCURRENCY,
          send: s.send,
          expect: s.expect,
          onResponse: (res) => {
            const use = d1UseOf(res);
            if (use) s.d1.push(use);
          },
        });
        if (r.errors) throw new Error(`${s.name}: ${r.errors} unexpected statuses`);
        s.runs.push({ r, base });
      }
    }

    const cells = [
      ["req/s", 16],
      ["p50 ms", 22],
      ["p99 ms", 22],
      ["thrpt × healthz", 20],
      ["p50 × healthz", 20],
      ["D1 calls/read/written", 24],
    ] as const;
    const line = (name: string, values: string[]) =>
      console.log(`${name.padEnd(52)}${values.map((v, i) => v.padStart(cells[i]?.[1] ?? 0)).join("")}`);
    console.log(
      `\n${REQUESTS} requests per run, ${CONCURRENCY} concurrent, ${RUNS} runs, loopback, wrangler dev (workerd + local D1).`,
    );
    console.log(
      "Each figure: median of the runs (lowest–highest). Ratios compare each run with GET /healthz measured just before it.",
    );
    console.log(
      "D1: the median request's round trips and rows on the request path (Edgedesk-D1; work left to waitUntil is not in it).\n",
    );
    line(
      "scenario",
      cells.map(([label]) => label),
    );
    for (const s of scenarios) {
      const of = (pick: (x: { r: LoadResult; base: LoadResult }) => number, digits = 0) =>
        figure(s.runs.map(pick), digits);
      const d1 = s.d1.length
        ? `${median(s.d1.map((u) => u.calls))} / ${median(s.d1.map((u) => u.rowsRead))} / ${median(s.d1.map((u) => u.rowsWritten))}`
        : "–";
      line(s.name, [
        of((x) => x.r.perSecond),
        of((x) => x.r.p50, 1),
        of((x) => x.r.p99, 1),
        of((x) => x.r.perSecond / x.base.perSecond, 2),
        of((x) => x.r.p50 / x.base.p50, 2),
        d1,
      ]);
    }
    const bases = scenarios.flatMap((s) => s.runs.map((x) => x.base));
    line(`baseline GET /healthz (all ${bases.length} runs)`, [
      figure(bases.map((b) => b.perSecond)),
      figure(
        bases.map((b) => b.p50),
        1,
      ),
      figure(
        bases.map((b) => b.p99),
        1,
      ),
      "1",
      "1",
      "0 / 0 / 0",
    ]);
    printInFlightBench(
      await benchInFlight(
        (signal) => fetch(`${server.url}/api/v1/bench/tickets`, { ...createRequest(nextFiler()), signal }),
        (signal) =>
          fetch(`${server.url}/api/v1/bench/tickets/${viewed}`, {
            headers: { authorization: `Bearer ${customer}` },
            signal,
          }),
      ),
    );
  } finally {
    await server.stop();
    await rm(persistTo, { recursive: true, force: true });
  }
}

console.log(`Edgedesk bench, ${new Date().toISOString()}; at the start: ${loadAverage()}.`);
// The Worker serves dist/public (wrangler.toml `[assets]`), so the widget is built before anything starts.
await buildWidget();
await main();
printAutoCloseBench(await benchAutoClose());
printUploadBench(await benchUpload());
printExportBench(await benchExport());
printWidgetBench(await benchWidget());
printThumbnailBench(await benchThumbnails());
console.log(`\nAt the end: ${loadAverage()}.`);
