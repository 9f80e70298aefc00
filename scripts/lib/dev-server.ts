import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;

/** Wrangler, without its calls home (this network cannot reach them, and they are not ours to make). */
export const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_UPDATE_NOTIFIER: "1",
};

/** Runs wrangler to completion with no stdin (so it never waits on a prompt), returning its stdout. */
async function run(args: string[], quiet: boolean): Promise<string> {
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: WRANGLER_ENV, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    output += d.toString();
    if (!quiet) process.stdout.write(d);
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
    if (!quiet) process.stderr.write(d);
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`wrangler ${args.join(" ")} exited ${code}\n${output}`);
  return stdout;
}

const persist = (persistTo?: string) => (persistTo ? ["--persist-to", persistTo] : []);

/**
 * Applies every migration in migrations/ not yet applied to the local D1 database, as
 * `wrangler d1 migrations apply --remote` does in production (wrangler records them in d1_migrations).
 */
export async function applyMigrations(persistTo?: string): Promise<void> {
  try {
    await run(["d1", "migrations", "apply", "edgedesk", "--local", ...persist(persistTo)], true);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Local state made by schema.sql before there were migrations has the tables but no ledger.
    const hint = /already exists/.test(message)
      ? "\nThis local database predates migrations: delete .wrangler/ (local demo data only) and start again."
      : "";
    throw new Error(`${message}${hint}`);
  }
}

/** Runs a SQL command against the local D1 database. */
export async function executeSql(sql: string, persistTo?: string): Promise<void> {
  await run(["d1", "execute", "edgedesk", "--local", "--command", sql, ...persist(persistTo)], true);
}

/** Runs one SQL query against the local D1 database and returns its rows. */
export async function querySql<Row>(sql: string, persistTo?: string): Promise<Row[]> {
  const stdout = await run(
    ["d1", "execute", "edgedesk", "--local", "--json", "--command", sql, ...persist(persistTo)],
    true,
  );
  const [result] = JSON.parse(stdout) as [{ results: Row[] }];
  return result.results;
}

/** The production Worker bundled as `wrangler deploy` would upload it (index.js in `outdir`), without deploying. */
export async function bundleWorker(outdir: string): Promise<void> {
  await run(["deploy", "--dry-run", "--outdir", outdir], true);
}

/** A TCP port that is free on loopback right now (for a dev server the caller starts next). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port assigned");
  return address.port;
}

export interface DevServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `wrangler dev` on loopback and resolves once the Worker answers. */
export async function startDevServer(options: {
  script: string;
  port: number;
  vars: Record<string, string>;
  persistTo?: string;
  quiet?: boolean;
  /** workerd's DevTools inspector on this port (scripts/lib/profile.ts takes CPU profiles through it). */
  inspectorPort?: number;
}): Promise<DevServer> {
  const args = [
    "dev",
    options.script,
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--show-interactive-dev-session=false",
    ...(options.persistTo ? ["--persist-to", options.persistTo] : []),
    ...(options.inspectorPort ? ["--inspector-port", String(options.inspectorPort)] : []),
    ...Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  if (options.quiet) args.push("--log-level", "warn");
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    env: WRANGLER_ENV,
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
    detached: false,
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await Promise.race([once(child, "exit"), new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("wrangler dev did not answer within 60 s");
}
