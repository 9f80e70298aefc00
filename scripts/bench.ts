/**
 * `npm run bench`: the production Worker in workerd with local D1 (Miniflare's API,
 * scripts/lib/local-worker.ts: no wrangler dev proxy in front, as in production) under loopback load.
 * Every scenario is measured right after the same Worker's trivial endpoint (/healthz, no
 * storage), and reported as a ratio to it: the machine is shared and noisy, ratios are not.
 * Each figure is the median of BENCH_RUNS runs (default 3) with their range, and the machine's
 * load average is printed at the start and the end. Before each run the bench waits until workerd
 * is idle, and after it until the work the run left behind (the queue's notices) is done, so each
 * run is charged its own CPU (scripts/lib/bench-cpu.ts).
 *   BENCH_REQUESTS (default 1000) and BENCH_CONCURRENCY (default 16) size each run;
 *   BENCH_PARTS (default all: requests,auto-close,uploads,export,widget,thumbnails) picks parts.
 * The console's queue: each saved view's first page over the same 100k tickets (scripts/lib/bench-queue.ts).
 * A first pass runs the Worker with DEBUG_D1_COUNTS, so each answer names its D1 round trips
 * (`Edgedesk-D1`) for the table; the timed runs use a Worker that does not count them.
 * Creating a ticket is measured twice: on the bench's desk (its receipt is mailed, by the queue's
 * consumer) and on a desk with no mail set up (the receipt is recorded and skipped).
 * Then the same create under wrangler dev, the stack `npm start` runs, for comparison, and on it
 * requests in flight at once (50, 100, … 800, half creating, half reading) until one is lost,
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
import { childCpuMs, settle } from "./lib/bench-cpu";
import { benchExport, printExportBench } from "./lib/bench-export";
import { figure, loadAverage, median, RUNS } from "./lib/bench-figures";
import { benchInFlight, printInFlightBench } from "./lib/bench-inflight";
import { queueBenchPaths } from "./lib/bench-queue";
import {
  BENCH_TICKET,
  BENCH_VARS,
  benchToken,
  COUNTING_VARS,
  CUSTOMERS,
  NO_MAIL_TENANT,
  seedBenchTenant,
  TENANT_TICKETS,
} from "./lib/bench-tenant";
import { benchThumbnails, printThumbnailBench } from "./lib/bench-thumbnails";
import { benchUpload, printUploadBench } from "./lib/bench-upload";
import { benchWidget, printWidgetBench } from "./lib/bench-widget";
import { buildWidget } from "./lib/build-widget";
import { ROOT, startDevServer } from "./lib/dev-server";
import { type LoadResult, load } from "./lib/load";
import { startLocalWorker } from "./lib/local-worker";

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

/** One measured run: the load as the client saw it, and CPU per request (the server's until it settled; the client's own). */
interface Run {
  r: LoadResult;
  serverMs: number;
  clientMs: number;
}

/** Runs `send` under load, then waits for workerd to settle, so what the run left behind is charged to it. */
async function measure(send: () => Promise<Response>, expect: number): Promise<Run> {
  await settle();
  const cpu0 = await childCpuMs();
  const client0 = process.cpuUsage();
  const r = await load({ requests: REQUESTS, concurrency: CONCURRENCY, send, expect });
  const client = process.cpuUsage(client0);
  await settle();
  return {
    r,
    serverMs: ((await childCpuMs()) - cpu0) / REQUESTS,
    clientMs: (client.user + client.system) / 1000 / REQUESTS,
  };
}

interface Scenario {
  name: string;
  send: () => Promise<Response>;
  expect: number;
  runs: { r: Run; base: Run }[];
  d1: D1Use[];
}

async function main(): Promise<void> {
  await rm(persistTo, { recursive: true, force: true });
  const now = Date.now();
  console.log(`Seeding a tenant with ${TENANT_TICKETS.toLocaleString("en")} tickets (${CUSTOMERS} customers)…`);
  await seedBenchTenant(persistTo, now);
  // First a pass that reads each scenario's D1 round trips, then the timed runs on a Worker that does not count them.
  let server = await startLocalWorker({ port, persistTo, vars: COUNTING_VARS });
  try {
    const token = benchToken;
    const customer = await token("user-7", "customer");
    const agent = await token("agent-1", "agent");
    const get = (path: string, bearer?: string) => () =>
      fetch(`${server.url}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
    // Customers of their own file the benchmark's tickets, so user-7's list stays 100 tickets long;
    // ten of them, taking turns, so the runs stay within the tenant's limits per person and per IP
    // (1000 a minute each). Locally every caller is 127.0.0.1, so each filer names its own client
    // address (a header only: every request still goes to loopback).
    const filersOf = (tenant: string) =>
      Promise.all(Array.from({ length: 10 }, (_, i) => token(`user-filer-${i}`, "customer", tenant)));
    const filers = await filersOf("bench");
    const quietFilers = await filersOf(NO_MAIL_TENANT);
    const ipOf = new Map([...filers, ...quietFilers].map((bearer, i) => [bearer, `127.0.1.${(i % 10) + 1}`]));
    const createRequest = (bearer: string): RequestInit => ({
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "content-type": "application/json",
        "cf-connecting-ip": ipOf.get(bearer) ?? "127.0.1.100",
      },
      body: JSON.stringify(BENCH_TICKET),
    });
    const createAs =
      (bearer: string, tenant = "bench") =>
      () =>
        fetch(`${server.url}/api/v1/${tenant}/tickets`, createRequest(bearer));
    let turn = 0;
    const nextFiler = () => filers[turn++ % filers.length]!;
    const create = () => createAs(nextFiler())();
    let quietTurn = 0;
    const createQuietly = () => createAs(quietFilers[quietTurn++ % quietFilers.length]!, NO_MAIL_TENANT)();
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
      scenario("create, desk without mail (notice not mailed)", createQuietly, 201),
      scenario("customer's ticket, one message (GET /tickets/{id})", get(`/api/v1/bench/tickets/${viewed}`, customer)),
      scenario("customer's tickets, first page (101 of 100k)", get("/api/v1/bench/tickets?limit=25", customer)),
      scenario("agent queue, first page (100k)", get("/api/v1/bench/tickets?limit=25", agent)),
      scenario("agent queue, status=open (20k of 100k)", get("/api/v1/bench/tickets?limit=25&status=open", agent)),
      scenario("public form config (GET /config)", get("/api/v1/bench/config")),
      ...queueBenchPaths("bench", TENANT_TICKETS).map(({ name, path }) => scenario(name, get(path, agent))),
    ];
    const baseline = get("/healthz");
    const warmUp = async (counting: boolean) => {
      await load({ requests: 100, concurrency: CONCURRENCY, send: baseline, expect: 200 });
      for (const s of scenarios) {
        const onResponse = (res: Response) => {
          const use = d1UseOf(res);
          if (use) s.d1.push(use);
        };
        const r = await load({
          requests: 100,
          concurrency: CONCURRENCY,
          send: s.send,
          expect: s.expect,
          ...(counting && { onResponse }),
        });
        if (r.errors) throw new Error(`${s.name}: ${r.errors} unexpected statuses`);
      }
    };
    await warmUp(true);
    await server.stop();
    server = await startLocalWorker({ port, persistTo, vars: BENCH_VARS });
    await warmUp(false);

    // Runs interleaved (every scenario once, then again), so a noisy minute spreads over all of them.
    for (let run = 0; run < RUNS; run++) {
      for (const s of scenarios) {
        const base = await measure(baseline, 200);
        const r = await measure(s.send, s.expect);
        if (r.r.errors) throw new Error(`${s.name}: ${r.r.errors} unexpected statuses`);
        s.runs.push({ r, base });
      }
    }
    printRequestTable(scenarios);

    // The same Worker as `npm start` runs it (wrangler dev: its proxy and inspector in front), for comparison,
    // then requests in flight at once on that stack.
    await server.stop();
    const wrangler = await startDevServer({
      script: "worker/index.ts",
      port,
      persistTo,
      quiet: true,
      vars: BENCH_VARS,
    });
    server = wrangler;
    const underWrangler = [scenario("create a ticket, under wrangler dev", create, 201)];
    for (let run = 0; run < RUNS; run++) {
      for (const s of underWrangler) {
        const base = await measure(baseline, 200);
        s.runs.push({ r: await measure(s.send, s.expect), base });
      }
    }
    console.log(
      "\nThe same under wrangler dev (npm start's stack: wrangler's Node proxy, a second workerd, the inspector):",
    );
    printRequestTable(underWrangler);
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

function printRequestTable(scenarios: Scenario[]): void {
  const cells = [
    ["req/s", 16],
    ["p50 ms", 20],
    ["p99 ms", 22],
    ["thrpt × healthz", 20],
    ["p50 × healthz", 20],
    ["server CPU ms", 20],
    ["client CPU ms", 18],
    ["D1 calls/read/written", 24],
  ] as const;
  const line = (name: string, values: string[]) =>
    console.log(`${name.padEnd(52)}${values.map((v, i) => v.padStart(cells[i]?.[1] ?? 0)).join("")}`);
  console.log(
    `\n${REQUESTS} requests per run, ${CONCURRENCY} concurrent, ${RUNS} runs, loopback; the Worker in workerd with local D1.`,
  );
  console.log(
    "Each figure: median of the runs (lowest–highest). Ratios compare each run with GET /healthz measured just before it.",
  );
  console.log(
    "CPU per request: the server's (workerd; under wrangler dev also its Node proxy) from the run's start until it went idle, work left to the queue included; the client's own.",
  );
  console.log(
    "D1: the median request's round trips and rows on the request path (Edgedesk-D1, read in a pass before the timed runs).\n",
  );
  line(
    "scenario",
    cells.map(([label]) => label),
  );
  for (const s of scenarios) {
    const of = (pick: (x: { r: Run; base: Run }) => number, digits = 0) => figure(s.runs.map(pick), digits);
    const d1 = s.d1.length
      ? `${median(s.d1.map((u) => u.calls))} / ${median(s.d1.map((u) => u.rowsRead))} / ${median(s.d1.map((u) => u.rowsWritten))}`
      : "–";
    line(s.name, [
      of((x) => x.r.r.perSecond),
      of((x) => x.r.r.p50, 1),
      of((x) => x.r.r.p99, 1),
      of((x) => x.r.r.perSecond / x.base.r.perSecond, 2),
      of((x) => x.r.r.p50 / x.base.r.p50, 2),
      of((x) => x.r.serverMs, 2),
      of((x) => x.r.clientMs, 2),
      d1,
    ]);
  }
  const bases = scenarios.flatMap((s) => s.runs.map((x) => x.base));
  line(`baseline GET /healthz (all ${bases.length} runs)`, [
    figure(bases.map((b) => b.r.perSecond)),
    figure(
      bases.map((b) => b.r.p50),
      1,
    ),
    figure(
      bases.map((b) => b.r.p99),
      1,
    ),
    "1",
    "1",
    figure(
      bases.map((b) => b.serverMs),
      2,
    ),
    figure(
      bases.map((b) => b.clientMs),
      2,
    ),
    "0 / 0 / 0",
  ]);
}

console.log(`Edgedesk bench, ${new Date().toISOString()}; at the start: ${loadAverage()}.`);
// The Worker serves dist/public (wrangler.toml `[assets]`), so the widget is built before anything starts.
await buildWidget();
const PARTS = (process.env.BENCH_PARTS ?? "requests,auto-close,uploads,export,widget,thumbnails").split(",");
const parts: Record<string, () => Promise<void>> = {
  requests: main,
  "auto-close": async () => printAutoCloseBench(await benchAutoClose()),
  uploads: async () => printUploadBench(await benchUpload()),
  export: async () => printExportBench(await benchExport()),
  widget: async () => printWidgetBench(await benchWidget()),
  thumbnails: async () => printThumbnailBench(await benchThumbnails()),
};
for (const name of PARTS) {
  const part = parts[name];
  if (!part) throw new Error(`BENCH_PARTS: no part ${name} (${Object.keys(parts).join(", ")})`);
  await part();
}
console.log(`\nAt the end: ${loadAverage()}.`);
