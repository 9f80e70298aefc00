/**
 * `npm run profile`: where the Worker's time goes under load, per scenario. Seeds the bench's
 * tenant (scripts/lib/bench-tenant.ts), starts the production Worker in workerd as the bench does
 * (scripts/lib/local-worker.ts) with its inspector, and for each scenario runs a closed loop of requests while taking a CPU
 * profile (scripts/lib/profile.ts): throughput and p50 as the client saw them, the Worker's own
 * `Server-Timing` (the wait for D1, the time inside the Worker), and CPU self time by area
 * (Hono's router, zod, our folders, idle). Knobs:
 *   PROFILE_SCENARIOS  comma-separated, of: healthz, create, view, list, queue (default: all)
 *   PROFILE_REQUESTS   per scenario (default 400); PROFILE_CONCURRENCY (default 16, as the bench)
 *   PROFILE_TICKETS    the tenant's size (default 100,000, as the bench)
 *   PROFILE_KEEP       a directory for the local D1: seeded once, reused by later runs
 *   PROFILE_MODULES=1, PROFILE_FUNCTIONS=1  also self time by module, by function
 *   PROFILE_CPU=off    no CPU profile: only the timings and each process's CPU.
 *   PROFILE_NATIVE=1   instead of the JavaScript profile, workerd's whole CPU by part of the runtime
 *                      (SQLite, Web APIs, RPC, JSON, GC, JavaScript…) from Linux `perf`
 *                      (scripts/lib/native-profile.ts). Each scenario waits for workerd to go idle
 *                      before it and after it, so the work a request leaves to the queue is charged to it.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { settle } from "./lib/bench-cpu";
import { loadAverage, median } from "./lib/bench-figures";
import { BENCH_TICKET, benchToken, COUNTING_VARS, seedBenchTenant, TENANT_TICKETS } from "./lib/bench-tenant";
import { freePort, ROOT } from "./lib/dev-server";
import { load } from "./lib/load";
import { startLocalWorker } from "./lib/local-worker";
import { printNativeProfile, recordNative } from "./lib/native-profile";
import { areaOf, cpuPerRequest, printProfile, processTreeCpu, profileWorker, selfTimeBy } from "./lib/profile";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.PROFILE_CONCURRENCY ?? 16);
const TICKETS = Number(process.env.PROFILE_TICKETS ?? TENANT_TICKETS);
const WANTED = (process.env.PROFILE_SCENARIOS ?? "healthz,create,view,list,queue").split(",");
const keep = process.env.PROFILE_KEEP;
const native = process.env.PROFILE_NATIVE === "1";
const profiling = process.env.PROFILE_CPU !== "off" && !native;
const persistTo = keep ?? `${ROOT}.wrangler/profile-${process.pid}`;

console.log(`Edgedesk profile, ${new Date().toISOString()}; at the start: ${loadAverage()}.`);
if (!existsSync(persistTo)) {
  console.log(`Seeding ${TICKETS.toLocaleString("en")} tickets into ${persistTo}…`);
  await seedBenchTenant(persistTo, Date.now(), TICKETS);
}
const inspectorPort = await freePort();
/** The workerd Miniflare started for this process. */
async function workerdPid(): Promise<number> {
  for (const [pid, { command }] of await processTreeCpu(process.pid)) if (command.includes("workerd")) return pid;
  throw new Error("no workerd under this process");
}

const server = await startLocalWorker({ port: await freePort(), persistTo, inspectorPort, vars: COUNTING_VARS });
try {
  const customer = await benchToken("user-7", "customer");
  const agent = await benchToken("agent-1", "agent");
  const filers = await Promise.all(Array.from({ length: 10 }, (_, i) => benchToken(`user-filer-${i}`, "customer")));
  // Ten filers taking turns, each with its own client address, stay within the tenant's limits (as the bench).
  const fileAs = (bearer: string | undefined, i: number) =>
    fetch(`${server.url}/api/v1/bench/tickets`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "content-type": "application/json",
        "cf-connecting-ip": `127.0.1.${i + 1}`,
      },
      body: JSON.stringify(BENCH_TICKET),
    });
  let turn = 0;
  const create = () => {
    const i = turn++ % filers.length;
    return fileAs(filers[i], i);
  };
  const get = (path: string, bearer?: string) => () =>
    fetch(`${server.url}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
  const viewed = ((await (await fileAs(customer, 100)).json()) as { ticket: { id: string } }).ticket.id;
  const scenarios = {
    healthz: { send: get("/healthz"), expect: 200 },
    create: { send: create, expect: 201 },
    view: { send: get(`/api/v1/bench/tickets/${viewed}`, customer), expect: 200 },
    list: { send: get("/api/v1/bench/tickets?limit=25", customer), expect: 200 },
    queue: { send: get("/api/v1/bench/tickets?limit=25", agent), expect: 200 },
  };
  for (const name of WANTED) {
    const scenario = scenarios[name as keyof typeof scenarios];
    if (!scenario) throw new Error(`no scenario ${name}: ${Object.keys(scenarios).join(", ")}`);
    await load({ requests: 50, concurrency: CONCURRENCY, ...scenario });
    // The previous scenario's queue work done first; this one's charged to it (waited for below).
    await settle();
    const timings: { d1: number; sql: number; worker: number }[] = [];
    const cpuBefore = await processTreeCpu(process.pid);
    const recording = native ? await recordNative(await workerdPid()) : null;
    const run = () =>
      load({
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        ...scenario,
        onResponse: (res) => {
          const match = /d1;dur=(\d+), d1-sql;dur=([\d.]+), worker;dur=(\d+)/.exec(
            res.headers.get("server-timing") ?? "",
          );
          if (match) timings.push({ d1: Number(match[1]), sql: Number(match[2]), worker: Number(match[3]) });
        },
      });
    const profiled = profiling ? await profileWorker(inspectorPort, run) : null;
    const result = profiled ? profiled.result : await run();
    await settle();
    const nativeProfile = await recording?.stop();
    const cpuAfter = await processTreeCpu(process.pid);
    const timed = timings.length
      ? `Server-Timing p50: d1 ${median(timings.map((t) => t.d1))} ms (D1's own ${median(timings.map((t) => t.sql)).toFixed(2)} ms), worker ${median(timings.map((t) => t.worker))} ms`
      : "";
    console.log(
      `\n${name}: ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms (client); ${timed}${result.errors ? `; ${result.errors} errors` : ""}`,
    );
    console.log(
      "CPU per request by process (this client, and its workerd: the Worker's isolate and local D1 share it):",
    );
    const perProcess = cpuPerRequest(cpuBefore, cpuAfter, REQUESTS);
    for (const p of perProcess)
      console.log(`  ${`${p.pid} ${p.command}`.slice(0, 90).padEnd(92)}${p.msPerRequest.toFixed(2).padStart(8)} ms`);
    if (nativeProfile) {
      const workerd = perProcess.find((p) => p.command.includes("workerd"))?.msPerRequest ?? 0;
      printNativeProfile(`${name}, workerd's CPU by part of the runtime`, nativeProfile, workerd);
    }
    if (!profiled) continue;
    const { profile, moduleOf } = profiled;
    const seconds = (profile.endTime - profile.startTime) / 1e6;
    const rows = selfTimeBy(profile, moduleOf, areaOf);
    const busy = rows.filter((r) => r.name !== "(idle)").reduce((sum, r) => sum + r.ms, 0);
    console.log(
      `The Worker's isolate: CPU busy ${((busy / 1000 / seconds) * 100).toFixed(0)}% of ${seconds.toFixed(1)} s, ${(busy / REQUESTS).toFixed(2)} ms per request (sampling inflates it)`,
    );
    printProfile(`${name}, self time by area:`, rows);
    if (process.env.PROFILE_MODULES)
      printProfile(`${name}, self time by module:`, selfTimeBy(profile, moduleOf).slice(0, 25));
    if (process.env.PROFILE_FUNCTIONS)
      printProfile(
        `${name}, self time by function:`,
        selfTimeBy(profile, moduleOf, (module, frame) => `${module} ${frame.functionName || "(anonymous)"}`).slice(
          0,
          30,
        ),
      );
  }
} finally {
  await server.stop();
  if (!keep) await rm(persistTo, { recursive: true, force: true });
}
console.log(`\nAt the end: ${loadAverage()}.`);
