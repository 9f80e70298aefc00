import { spawn } from "node:child_process";
import { once } from "node:events";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOT, WRANGLER_ENV } from "../../scripts/lib/dev-server";

async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = WRANGLER_ENV,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

describe("the committed configuration (what CI checks)", () => {
  it("bundles for deployment: wrangler deploy --dry-run --outdir exits 0 and writes the Worker", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "edgedesk-dry-run-"));
    try {
      const { code, output } = await run(join(ROOT, "node_modules/.bin/wrangler"), [
        "deploy",
        "--dry-run",
        "--outdir",
        outdir,
      ]);
      expect(code, output).toBe(0);
      expect(output).toMatch(/env\.DB \(edgedesk\)\s+D1 Database/);
      expect(output).toMatch(/env\.FILES \(edgedesk-files\)\s+R2 Bucket/);
      expect(output).toMatch(/env\.DELIVERIES \(edgedesk-deliveries\)\s+Queue/);
      expect(output).toMatch(/env\.PRESENCE \(TicketPresence\)\s+Durable Object/);
      await access(join(outdir, "index.js"));
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});

/**
 * `npm run deploy` against a recorded stand-in for wrangler first on PATH (the real one only
 * bundles, for `deploy --dry-run`): which commands run in which order, what reaches wrangler on
 * stdin, and that no secret ever appears in an argument or in what the script prints.
 */
describe("npm run deploy", () => {
  const ADMIN_SECRET = "admin-secret-for-the-deploy-test-5f2a9c";
  let dir: string;
  let calls: () => Promise<{ args: string[]; stdin: string }[]>;
  /** Runs the deploy script; `bundle: false` spares the real bundling where a test is not about it. */
  let deploy: (
    args: string[],
    options?: { env?: Record<string, string>; bundle?: boolean },
  ) => Promise<{ code: number | null; output: string }>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgedesk-deploy-"));
    const bin = join(dir, "bin");
    await mkdir(bin);
    await writeFile(
      join(bin, "wrangler"),
      `#!/bin/sh\nexec node ${join(ROOT, "test/node/fixtures/fake-wrangler.cjs")} "$@"\n`,
      { mode: 0o755 },
    );
    const log = join(dir, "calls.jsonl");
    await writeFile(log, "");
    calls = async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { args: string[]; stdin: string });
    deploy = (args, { env = {}, bundle = true } = {}) =>
      run(
        join(ROOT, "node_modules/.bin/tsx"),
        ["scripts/deploy.ts", "--dir", join(dir, "site"), "--skip-build", ...args],
        {
          ...WRANGLER_ENV,
          ...env,
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          FAKE_WRANGLER_LOG: log,
          FAKE_WRANGLER_STATE: join(dir, "account.json"),
          REAL_WRANGLER: bundle ? join(ROOT, "node_modules/.bin/wrangler") : "",
        },
      );
    await mkdir(join(dir, "site"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A call as a line, without the --config and --outdir values (checked on their own). */
  const line = (args: string[]) =>
    args
      .filter((a, i) => !["--config", "--outdir"].includes(args[i - 1] ?? "") && a !== "--config" && a !== "--outdir")
      .join(" ");

  it("creates what is missing, sets the secrets through stdin, applies the migrations, then deploys", async () => {
    const { code, output } = await deploy(["--public-url", "https://desk.example.com", "--mail", "send_email"], {
      env: { EDGEDESK_ADMIN_SECRET: ADMIN_SECRET },
    });
    expect(code, output).toBe(0);
    const made = await calls();
    expect(made.map((c) => line(c.args))).toEqual([
      "deploy --dry-run",
      "whoami",
      "d1 list --json",
      "d1 create edgedesk --update-config=false",
      "d1 list --json",
      "r2 bucket info edgedesk-files --json",
      "r2 bucket create edgedesk-files",
      "queues info edgedesk-deliveries",
      "queues create edgedesk-deliveries",
      "queues info edgedesk-dead-letters",
      "queues create edgedesk-dead-letters",
      "secret list --format json",
      "secret put ADMIN_SECRET",
      "secret put SECRETS_KEY",
      "d1 time-travel info edgedesk --json",
      "d1 migrations apply edgedesk --remote",
      "deploy",
    ]);
    const config = join(dir, "site/wrangler.deploy.jsonc");
    for (const c of made.filter((c) =>
      ["deploy", "secret", "d1 migrations", "d1 time-travel"].some((p) => line(c.args).startsWith(p)),
    )) {
      expect(c.args.slice(c.args.indexOf("--config"), c.args.indexOf("--config") + 2), line(c.args)).toEqual([
        "--config",
        config,
      ]);
    }

    // Secrets reach wrangler on stdin only; the generated key is 32 random bytes.
    const put = (name: string) => made.find((c) => line(c.args) === `secret put ${name}`)!.stdin;
    expect(put("ADMIN_SECRET")).toBe(ADMIN_SECRET);
    expect(put("SECRETS_KEY")).toMatch(/^[\w-]{43}$/);
    for (const secret of [put("ADMIN_SECRET"), put("SECRETS_KEY")]) {
      expect(made.flatMap((c) => c.args).join(" ")).not.toContain(secret);
      expect(output).not.toContain(secret);
    }
    expect(made.filter((c) => c.stdin !== "").map((c) => line(c.args))).toEqual([
      "secret put ADMIN_SECRET",
      "secret put SECRETS_KEY",
    ]);

    // The deployment's configuration: wrangler.toml with its database id, URL, Custom Domain and mail.
    const written = JSON.parse((await readFile(config, "utf8")).replace(/^\/\/.*$/gm, "")) as {
      d1_databases: { database_id: string; migrations_dir: string }[];
      vars: Record<string, string>;
      routes: unknown[];
      send_email: unknown[];
      triggers: { crons: string[] };
      queues: { producers: { binding: string }[]; consumers: { queue: string; dead_letter_queue: string }[] };
      durable_objects: { bindings: { name: string; class_name: string }[] };
      migrations: { tag: string; new_sqlite_classes?: string[] }[];
    };
    expect(written.d1_databases[0]).toMatchObject({ database_id: "4b5e2d1c-0a9f-4e8d-9c7b-6a5f4e3d2c1b" });
    expect(join(dir, "site", written.d1_databases[0]!.migrations_dir)).toBe(join(ROOT, "migrations"));
    expect(written.vars).toMatchObject({
      PUBLIC_URL: "https://desk.example.com",
      MAIL_TRANSPORT: "send_email",
      MAX_JSON_BYTES: "65536",
    });
    expect(written.routes).toEqual([{ pattern: "desk.example.com", custom_domain: true }]);
    expect(written.send_email).toEqual([{ name: "EMAIL" }]);
    expect(written.triggers.crons).toEqual(["* * * * *"]);
    expect(written.queues.producers.map((p) => p.binding)).toEqual(["DELIVERIES", "DEAD_LETTERS"]);
    expect(written.queues.consumers).toMatchObject([
      { queue: "edgedesk-deliveries", dead_letter_queue: "edgedesk-dead-letters" },
    ]);
    // The presence rooms' Durable Object and the migration that creates its class.
    expect(written.durable_objects.bindings).toEqual([{ name: "PRESENCE", class_name: "TicketPresence" }]);
    expect(written.migrations).toEqual([{ tag: "v1-presence", new_sqlite_classes: ["TicketPresence"] }]);
    expect(JSON.parse(await readFile(join(dir, "site/deploy.json"), "utf8"))).toEqual({
      publicUrl: "https://desk.example.com",
      mail: { transport: "send_email" },
    });
    // wrangler.toml itself keeps its placeholder for local development.
    expect(await readFile(join(ROOT, "wrangler.toml"), "utf8")).toContain(
      'database_id = "00000000-0000-0000-0000-000000000000"',
    );
  });

  it("on the next run (an upgrade) links what exists, keeps the secrets and asks for nothing", async () => {
    const first = { env: { EDGEDESK_ADMIN_SECRET: ADMIN_SECRET }, bundle: false };
    expect((await deploy(["--public-url", "https://desk.example.com", "--mail", "send_email"], first)).code).toBe(0);
    const before = (await calls()).length;

    // No flags and no secrets in the environment: deploy.json and the account hold everything.
    const { code, output } = await deploy([], { bundle: false });
    expect(code, output).toBe(0);
    expect((await calls()).slice(before).map((c) => line(c.args))).toEqual([
      "deploy --dry-run",
      "whoami",
      "d1 list --json",
      "r2 bucket info edgedesk-files --json",
      "queues info edgedesk-deliveries",
      "queues info edgedesk-dead-letters",
      "secret list --format json",
      "d1 time-travel info edgedesk --json",
      "d1 migrations apply edgedesk --remote",
      "deploy",
    ]);
    expect(output).toContain("ADMIN_SECRET: already set (kept)");
    expect(output).toContain(
      "wrangler d1 time-travel restore edgedesk --bookmark=00000085-0000024c-00004c6d-8e61117bf38d7adb71b934ebbf891683",
    );
  });

  it("with --dry-run builds and checks the configuration, lists the Cloudflare steps and runs none of them", async () => {
    const { code, output } = await deploy([
      "--dry-run",
      "--public-url",
      "https://edgedesk.provider.workers.dev",
      "--mail",
      "http",
      "--mail-http-url",
      "https://mail.example/send",
    ]);
    expect(code, output).toBe(0);
    expect((await calls()).map((c) => line(c.args))).toEqual(["deploy --dry-run"]);
    expect(output).toContain('env.MAIL_TRANSPORT ("http")');
    expect(output).toContain("Set the secrets not set yet (ADMIN_SECRET, SECRETS_KEY, MAIL_HTTP_KEY)");
    expect(output).toContain("wrangler d1 migrations apply edgedesk --remote");
    expect(output).toContain("wrangler queues create edgedesk-deliveries");
    expect(output).toContain("Nothing was changed on Cloudflare.");
    await expect(access(join(dir, "site/deploy.json"))).rejects.toThrow();
    // On workers.dev there is no Custom Domain to route.
    const written = JSON.parse(
      (await readFile(join(dir, "site/wrangler.deploy.jsonc"), "utf8")).replace(/^\/\/.*$/gm, ""),
    ) as Record<string, unknown>;
    expect(written).not.toHaveProperty("routes");
    expect(written.vars).toMatchObject({ MAIL_TRANSPORT: "http", MAIL_HTTP_URL: "https://mail.example/send" });
  });

  it("refuses settings it cannot use before running anything, saying what to pass", async () => {
    const { code, output } = await deploy(["--public-url", "http://desk.example.com/panel", "--mail", "pigeon"]);
    expect(code).toBe(1);
    expect(output).toContain("publicUrl must be an https:// origin with no path");
    expect(output).toContain('mail.transport (--mail) must be "send_email", "http" or "outbox"');
    expect(await calls()).toEqual([]);
  });

  it("stops before any secret is set when one is missing and there is no terminal to type it", async () => {
    const { code, output } = await deploy(
      ["--public-url", "https://desk.example.com", "--mail", "http", "--mail-http-url", "https://mail.example/send"],
      {
        env: { EDGEDESK_ADMIN_SECRET: ADMIN_SECRET },
        bundle: false,
      },
    );
    expect(code).toBe(1);
    expect(output).toContain("MAIL_HTTP_KEY is not set on the Worker: set EDGEDESK_MAIL_HTTP_KEY in the environment");
    expect((await calls()).map((c) => line(c.args))).not.toContain("deploy");
    expect((await calls()).filter((c) => line(c.args).startsWith("secret put"))).toEqual([]);
  });
});
