/**
 * The tenant's export of the benchmark's 100k-ticket tenant (bench-tenant.ts, plus one message per
 * ticket and a few 4 MiB files uploaded through the Worker), through `wrangler dev`: the archive's
 * size, the time it takes, and workerd's resident memory (VmRSS sampled every 10 ms, and VmHWM)
 * while it streams. First the same export of a copy of a tenth of it (10k tickets): memory that
 * does not grow from 10k to 100k tickets is memory the export does not hold. Then one customer's
 * export (100 tickets). The archive is checked with Python's zipfile (every entry's CRC, the
 * ticket count). Run from scripts/bench.ts; on its own:
 *   npx tsx -e 'import("./scripts/lib/bench-export.ts").then(async m => m.printExportBench(await m.benchExport()))'
 */
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_VARS, benchToken, seedBenchTenant, TENANT_TICKETS } from "./bench-tenant";
import { executeSql, freePort, startDevServer } from "./dev-server";
import { anonMiB, descendants, highWaterMiB, peakWhile, rssMiB } from "./workerd-memory";

const MiB = 1024 * 1024;
const FILES = Number(process.env.BENCH_EXPORT_FILES ?? 10);
const { ADMIN_SECRET } = BENCH_VARS;

export interface ExportRun {
  what: string;
  bytes: number;
  seconds: number;
  peakMiB: number;
  /** RssAnon right after (heaps and SQLite's cache, no mapped files). */
  anonAfterMiB: number;
}

export interface ExportBench {
  runs: ExportRun[];
  idleMiB: number;
  idleAnonMiB: number;
  highWaterMiB: number;
  entries: number;
  ticketLines: number;
  messageLines: number;
  /** The control: a fresh workerd paging the agent's ticket list through all 100k tickets (plain D1 reads, nothing held). */
  control: { idleMiB: number; peakMiB: number; requests: number };
}

/** One message per seeded ticket: the thread the export pages through beside the tickets. */
const messagesSql = `INSERT INTO messages (id, tenant_id, ticket_id, author_kind, author_id, author_name, body, internal, source, created_at)
  SELECT 'msg-' || id, tenant_id, id, 'customer', requester_id, requester_name,
    'Since the update every page of ' || requester_email || ' answers 500; steps tried: cache cleared, plugins off.',
    0, 'web', created_at FROM tickets WHERE tenant_id = 'bench'`;

/** A tenth of the tenant, with its messages, as a tenant of its own ("small"). */
const smallSql = `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at)
    SELECT 'small', NULL, 'Small Hosting', config, created_at, updated_at FROM tenants WHERE id = 'bench';
  INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, fields, requester_kind, requester_id,
      requester_email, requester_name, created_at, updated_at, last_activity_at, version)
    SELECT 'small-' || id, 'small', number, subject, status, priority, department, fields, requester_kind, requester_id,
      requester_email, requester_name, created_at, updated_at, last_activity_at, version
    FROM tickets WHERE tenant_id = 'bench' AND number <= ${10_000_000 + TENANT_TICKETS / 10};
  INSERT INTO messages (id, tenant_id, ticket_id, author_kind, author_id, author_name, body, internal, source, created_at)
    SELECT 'small-' || id, 'small', 'small-' || ticket_id, author_kind, author_id, author_name, body, internal, source, created_at
    FROM messages WHERE ticket_id IN (SELECT substr(id, 7) FROM tickets WHERE tenant_id = 'small')`;

/** Downloads into `file` as it arrives, never holding the archive. */
async function download(url: string, file: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_SECRET}` } });
  if (!res.ok || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const out = createWriteStream(file);
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (!out.write(value)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return bytes;
}

/**
 * How much workerd grows from reading the same tickets with no export at all: the local D1 runs
 * in the same process (SQLite's pages, the simulator's heap), so its share is in every figure.
 */
async function listingControl(persistTo: string): Promise<ExportBench["control"]> {
  const server = await startDevServer({
    script: "worker/index.ts",
    port: await freePort(),
    persistTo,
    quiet: true,
    vars: BENCH_VARS,
  });
  try {
    const agent = await benchToken("agent-1", "agent");
    const workerd = descendants(server.process.pid!);
    const idleMiB = await rssMiB(workerd);
    const { result: requests, peakMiB } = await peakWhile(workerd, async () => {
      let cursor: string | null = null;
      let n = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const res = await fetch(`${server.url}/api/v1/bench/tickets?limit=100${query}`, {
          headers: { authorization: `Bearer ${agent}` },
        });
        cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
        n++;
      } while (cursor);
      return n;
    });
    return { idleMiB, peakMiB, requests };
  } finally {
    await server.stop();
  }
}

export async function benchExport(): Promise<ExportBench> {
  const dir = await mkdtemp(join(tmpdir(), "edgedesk-bench-export-"));
  const now = Date.now();
  try {
    await seedBenchTenant(join(dir, "state"), now);
    await executeSql(
      `${messagesSql};
       UPDATE tenants SET config = json_set(config, '$.limits.pendingUploadBytes', ${(FILES + 1) * 4 * MiB}) WHERE id = 'bench';
       ${smallSql}`,
      join(dir, "state"),
    );
    const server = await startDevServer({
      script: "worker/index.ts",
      port: await freePort(),
      persistTo: join(dir, "state"),
      quiet: true,
      vars: BENCH_VARS,
    });
    let result: Omit<ExportBench, "control">;
    try {
      const token = await benchToken("uploader", "customer");
      const file = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
      file.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      for (let i = 0; i < FILES; i++) {
        const res = await fetch(`${server.url}/api/v1/bench/uploads?name=shot-${i}.png`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: file,
        });
        if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      }
      const workerd = descendants(server.process.pid!);
      const idleMiB = await rssMiB(workerd);
      const idleAnonMiB = await anonMiB(workerd);
      const runs: ExportRun[] = [];
      const measure = async (what: string, path: string, into: string) => {
        const started = performance.now();
        const { result, peakMiB } = await peakWhile(workerd, () => download(`${server.url}${path}`, into));
        const seconds = (performance.now() - started) / 1000;
        runs.push({ what, bytes: result, seconds, peakMiB, anonAfterMiB: await anonMiB(workerd) });
      };
      const zip = join(dir, "bench.zip");
      await measure(
        `tenant export (${(TENANT_TICKETS / 10).toLocaleString("en")} tickets, no files)`,
        "/api/v1/small/export",
        join(dir, "small.zip"),
      );
      await measure(`tenant export (${TENANT_TICKETS.toLocaleString("en")} tickets)`, "/api/v1/bench/export", zip);
      await measure(
        "one customer's export (100 tickets)",
        `/api/v1/bench/people/${encodeURIComponent("user7@example.com")}/export`,
        join(dir, "person.zip"),
      );
      const check = execFileSync(
        "python3",
        [
          "-c",
          `import sys,zipfile
z=zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
lines=lambda n: sum(1 for _ in z.open(n))
print(len(z.infolist()), lines('tables/tickets.ndjson'), lines('tables/messages.ndjson'))`,
          zip,
        ],
        { encoding: "utf8" },
      );
      const [entries, ticketLines, messageLines] = check.trim().split(" ").map(Number);
      result = {
        runs,
        idleMiB,
        idleAnonMiB,
        highWaterMiB: await highWaterMiB(workerd),
        entries: entries ?? 0,
        ticketLines: ticketLines ?? 0,
        messageLines: messageLines ?? 0,
      };
    } finally {
      await server.stop();
    }
    return { ...result, control: await listingControl(join(dir, "state")) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printExportBench(r: ExportBench): void {
  console.log(
    `\nExports (streamed ZIP, GET /api/v1/{tenant}/export and …/people/{email}/export), wrangler dev; ${FILES} files of 4 MiB in R2.`,
  );
  console.log(
    `workerd resident memory before: ${r.idleMiB.toFixed(0)} MiB (${r.idleAnonMiB.toFixed(0)} MiB anonymous). In order, one server:\n`,
  );
  for (const run of r.runs)
    console.log(
      `${run.what.padEnd(44)}${(run.bytes / MiB).toFixed(1).padStart(7)} MiB${run.seconds.toFixed(1).padStart(7)} s` +
        `   peak RSS ${run.peakMiB.toFixed(0)} MiB (+${(run.peakMiB - r.idleMiB).toFixed(0)}); anonymous after ${run.anonAfterMiB.toFixed(0)} MiB`,
    );
  console.log(
    `\nworkerd's high-water mark (VmHWM, since it started, uploads included): ${r.highWaterMiB.toFixed(0)} MiB.` +
      `\nControl, a fresh workerd paging the agent's ticket list through the same 100k tickets (${r.control.requests} requests, plain D1 reads): ` +
      `peak RSS ${r.control.peakMiB.toFixed(0)} MiB (+${(r.control.peakMiB - r.control.idleMiB).toFixed(0)}). The local D1 lives in workerd's process: its growth is in every figure above.` +
      `\nThe archive: ${r.entries} entries, every CRC checked (Python zipfile); tables/tickets.ndjson ${r.ticketLines.toLocaleString("en")} rows, tables/messages.ndjson ${r.messageLines.toLocaleString("en")}.`,
  );
}
