import { spawn, type ChildProcess } from "node:child_process";
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

async function run(args: string[], quiet: boolean): Promise<void> {
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: WRANGLER_ENV, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`wrangler ${args.join(" ")} exited ${code}\n${output}`);
}

/** Applies schema.sql (idempotent) to the local D1 database. */
export function applySchema(persistTo?: string): Promise<void> {
  return run(["d1", "execute", "edgedesk", "--local", "--file", "schema.sql", ...(persistTo ? ["--persist-to", persistTo] : [])], true);
}

/** Runs a SQL command against the local D1 database. */
export function executeSql(sql: string, persistTo?: string): Promise<void> {
  return run(["d1", "execute", "edgedesk", "--local", "--command", sql, ...(persistTo ? ["--persist-to", persistTo] : [])], true);
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
}): Promise<DevServer> {
  const args = [
    "dev",
    options.script,
    "--ip", "127.0.0.1",
    "--port", String(options.port),
    "--show-interactive-dev-session=false",
    ...(options.persistTo ? ["--persist-to", options.persistTo] : []),
    ...Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  if (options.quiet) args.push("--log-level", "warn");
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: WRANGLER_ENV, stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"], detached: false });
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
