/**
 * A CPU profile of the Worker in workerd, through the DevTools inspector `wrangler dev
 * --inspector-port` opens (startDevServer's `inspectorPort`): `Profiler.start`, the work,
 * `Profiler.stop`, then self time summed by the module each sampled function comes from. The
 * Worker is one esbuild bundle; its `// path/to/module.js` comments name the module of each
 * line, so the summary says "hono/dist/router/trie-router" or "worker/tickets/create.ts", not
 * just a function name. Used by scripts/profile.ts (docs/benchmarks.md, "Where a request's CPU goes").
 */
import { WebSocket } from "undici";

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One DevTools session over a WebSocket: numbered commands, their answers, and events by name. */
class Session {
  #next = 1;
  readonly #pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  readonly scripts: { scriptId: string; url: string }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        method?: string;
        params?: { scriptId: string; url: string };
        result?: unknown;
        error?: { message: string };
      };
      if (message.id !== undefined) this.#pending.get(message.id)?.(message);
      else if (message.method === "Debugger.scriptParsed" && message.params) this.scripts.push(message.params);
    });
  }

  static async open(url: string): Promise<Session> {
    // wrangler's inspector proxy wants an Origin on this machine (DevTools' own is another site).
    const socket = new WebSocket(url, { headers: { origin: "http://localhost" } });
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    return new Session(socket);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.#next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (message) => {
        this.#pending.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result as T);
      });
    });
  }
}

/** The Worker's inspector target on `port` (wrangler lists workerd's targets at /json). */
async function workerTarget(port: number): Promise<string> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    title?: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => !/proxy/i.test(t.title ?? "")) ?? targets[0];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  return target.webSocketDebuggerUrl;
}

/** Which module each line of a bundle belongs to, from esbuild's `// path` comments. */
function moduleLines(source: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  source.split("\n").forEach((text, line) => {
    const match = /^\/\/ ((?:node_modules|worker|shared|demo|\.\.)\/?[^\s]*\.[cm]?[jt]s)$/.exec(text);
    if (match?.[1]) starts.push({ line, module: match[1] });
  });
  return (line) => {
    let found = "(bundle)";
    for (const start of starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  };
}

/** Runs `work` under the CPU profiler of the Worker whose inspector is on `port`. */
export async function profileWorker<T>(
  port: number,
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile; moduleOf: (frame: CallFrame) => string }> {
  const session = await Session.open(await workerTarget(port));
  try {
    await session.send("Debugger.enable");
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 200 });
    await session.send("Profiler.start");
    const result = await work();
    const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
    const byScript = new Map<string, (line: number) => string>();
    for (const script of session.scripts) {
      try {
        const { scriptSource } = await session.send<{ scriptSource: string }>("Debugger.getScriptSource", {
          scriptId: script.scriptId,
        });
        byScript.set(script.scriptId, moduleLines(scriptSource));
      } catch {
        // a script that went away: its frames read as "(bundle)"
      }
    }
    await session.send("Debugger.disable");
    const moduleOf = (frame: CallFrame) => {
      if (!frame.url && frame.functionName.startsWith("(")) return frame.functionName;
      return byScript.get(frame.scriptId)?.(frame.lineNumber) ?? (frame.url || "(native)");
    };
    return { result, profile, moduleOf };
  } finally {
    session.socket.close();
  }
}

/** A module's share of the profile: its self time, in ms and as a share of the whole. */
export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

/** Self time by area: `(idle)`, `(program)`, `(garbage collector)`, and each module grouped by `area`. */
export function selfTimeBy(
  profile: CpuProfile,
  moduleOf: (frame: CallFrame) => string,
  area: (module: string, frame: CallFrame) => string = (module) => module,
): ProfileRow[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!node) return;
    const name = area(moduleOf(node.callFrame), node.callFrame);
    totals.set(name, (totals.get(name) ?? 0) + us);
    all += us;
  });
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: all ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** The areas the docs report: Hono's router, the rest of Hono, zod and its OpenAPI layer, the D1 client, our code by folder. */
export function areaOf(module: string, frame?: CallFrame): string {
  if (module === "(native)" || module === "(bundle)") return `${module} ${frame?.functionName || "(anonymous)"}`;
  if (module.startsWith("(")) return module;
  if (/hono\/dist\/router\//.test(module)) return `hono router (${/router\/([^/]+)/.exec(module)?.[1] ?? "?"})`;
  if (/node_modules\/hono\//.test(module)) return "hono (context, compose, request)";
  if (/zod-openapi|@asteasolutions/.test(module)) return "@hono/zod-openapi";
  if (/node_modules\/zod\//.test(module)) return "zod";
  const ours = /^(?:\.\.\/)*(worker\/[^/]+)/.exec(module);
  if (ours?.[1]) return ours[1];
  if (/d1|miniflare|wrangler|cloudflare/i.test(module))
    return `runtime shim (${module.split("/").slice(-2).join("/")})`;
  return module;
}

/** Prints the rows over `min` share as a table. */
export function printProfile(title: string, rows: ProfileRow[], min = 0.005): void {
  console.log(`\n${title}`);
  for (const row of rows.filter((r) => r.share >= min))
    console.log(
      `  ${row.name.padEnd(56)}${row.ms.toFixed(0).padStart(8)} ms${(row.share * 100).toFixed(1).padStart(7)} %`,
    );
}

/** CPU time (user + system, ms) of `root` and every process under it, by pid, from /proc (Linux). */
export async function processTreeCpu(root: number): Promise<Map<number, { command: string; ms: number }>> {
  const { readFile, readdir } = await import("node:fs/promises");
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const stats = new Map<number, { ppid: number; command: string; ms: number }>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      const command = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").slice(0, 3).join(" ");
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        command,
        ms: (Number(fields[11]) + Number(fields[12])) * tick,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = new Map<number, { command: string; ms: number }>();
  const visit = (pid: number) => {
    const stat = stats.get(pid);
    if (!stat) return;
    tree.set(pid, { command: stat.command, ms: stat.ms });
    for (const [child, s] of stats) if (s.ppid === pid) visit(child);
  };
  visit(root);
  return tree;
}

/** What each process of the tree spent between two `processTreeCpu` readings, per `requests`, largest first. */
export function cpuPerRequest(
  before: Map<number, { command: string; ms: number }>,
  after: Map<number, { command: string; ms: number }>,
  requests: number,
): { pid: number; command: string; msPerRequest: number }[] {
  return [...after.entries()]
    .map(([pid, a]) => ({ pid, command: a.command, msPerRequest: (a.ms - (before.get(pid)?.ms ?? 0)) / requests }))
    .filter((p) => p.msPerRequest > 0)
    .sort((a, b) => b.msPerRequest - a.msPerRequest);
}
