/**
 * Where workerd's own CPU goes, beyond what the JavaScript profiler sees: `perf record` on the
 * workerd process (Linux perf; workerd ships with its symbols), then each sample charged to the
 * part of the runtime nearest its leaf: SQLite (local D1 and the Durable Objects' storage), the
 * Web APIs (Request, Response, Headers, streams), Cap'n Proto RPC between the Worker and local D1's
 * Durable Object, HTTP, JSON, compression, crypto, garbage collection, JavaScript itself. Used by
 * `PROFILE_NATIVE=1 npm run profile` (docs/benchmarks.md, "Where create's time goes locally").
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Parts of the runtime, each recognised by its symbols; tried in this order on each frame. */
const PARTS: readonly [string, RegExp][] = [
  ["SQLite (statements, B-trees, WAL)", /sqlite3|pcache1|^wal[A-Z]|^pager[A-Z]|^btree[A-Z]|^vdbe[A-Z]/],
  ["compression (gzip, brotli)", /deflate|inflate|zlib|Brotli|crc32|adler32/i],
  ["JSON (parse, stringify)", /JsonStringifier|JsonParser/],
  [
    "garbage collection",
    /v8::internal::(Heap::|Scavenger|ScavengerCollector|MarkCompact|MinorMarkSweep|Sweeper|ConcurrentMarking|GlobalHandles)|HeapTracer|cppgc::/,
  ],
  ["crypto (BoringSSL)", /^(EVP_|HMAC_|SHA256_|sha256_|SHA1_|sha1_|BN_|bn_|CRYPTO_|aes_|ossl_)/],
  ["Cap'n Proto RPC (Worker ↔ local D1, Queues)", /^capnp::/],
  ["HTTP and sockets (kj)", /^kj::.*(Http|Socket|AsyncIoStream|AsyncStreamFd|FdInputStream|FdOutputStream)/],
  ["Web APIs (Request, Response, Headers, streams)", /^workerd::api::/],
  ["JavaScript (interpreter, JIT, builtins)", /^Builtins_|^v8::internal::(Interpreter|Runtime_|Builtin)|\[unknown\]/],
];

export interface NativeProfile {
  samples: number;
  parts: { name: string; share: number }[];
}

/** Starts `perf record` on `pid`; `stop()` ends it and returns each part's share of the samples. */
export async function recordNative(pid: number): Promise<{ stop(): Promise<NativeProfile> }> {
  const dir = await mkdtemp(join(tmpdir(), "edgedesk-perf-"));
  const data = join(dir, "perf.data");
  const perf: ChildProcess = spawn("perf", ["record", "-F", "499", "-g", "-p", String(pid), "-o", data], {
    stdio: "ignore",
  });
  // perf attaches within a moment; samples before that are simply not taken.
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (perf.exitCode !== null) throw new Error("perf record exited at once: is perf installed (linux-perf)?");
  return {
    async stop() {
      perf.kill("SIGINT");
      await once(perf, "exit");
      try {
        return summarise(await perfScript(data));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

async function perfScript(data: string): Promise<string> {
  const child = spawn("perf", ["script", "-i", data, "--no-inline"], { stdio: ["ignore", "pipe", "ignore"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  await once(child, "exit");
  return Buffer.concat(chunks).toString("utf8");
}

/** `perf script` prints each sample as a header line, then its frames (leaf first), then a blank line. */
function summarise(script: string): NativeProfile {
  const counts = new Map<string, number>();
  let samples = 0;
  for (const block of script.split(/\n\s*\n/)) {
    const frames = block
      .split("\n")
      .filter((line) => /^\s/.test(line))
      .map((line) => line.trim().replace(/^[0-9a-f]+ /, ""));
    if (frames.length === 0) continue;
    samples++;
    const part = partOf(frames);
    counts.set(part, (counts.get(part) ?? 0) + 1);
  }
  return {
    samples,
    parts: [...counts.entries()].map(([name, n]) => ({ name, share: n / samples })).sort((a, b) => b.share - a.share),
  };
}

function partOf(frames: readonly string[]): string {
  for (const frame of frames) {
    for (const [name, pattern] of PARTS) if (pattern.test(frame)) return name;
  }
  const leaf = frames[0] ?? "";
  if (leaf.includes("[kernel.kallsyms]")) return "kernel (system calls, network, files)";
  if (/tcmalloc|malloc|memmove|memcpy|memset/.test(leaf)) return "memory (malloc, copies)";
  if (/^kj::/.test(leaf)) return "event loop and promises (kj)";
  return "other";
}

export function printNativeProfile(title: string, profile: NativeProfile, msPerRequest: number): void {
  console.log(`\n${title} (${profile.samples} samples; workerd ${msPerRequest.toFixed(2)} ms a request):`);
  for (const part of profile.parts.filter((p) => p.share >= 0.005))
    console.log(
      `  ${part.name.padEnd(56)}${(part.share * 100).toFixed(1).padStart(6)} %${(part.share * msPerRequest).toFixed(2).padStart(8)} ms`,
    );
}
