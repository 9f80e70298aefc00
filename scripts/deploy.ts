/**
 * `npm run deploy`: Edgedesk on a Cloudflare account, step by step, safe to run again for every
 * upgrade. Builds and checks everything locally first; then links (or creates) the D1 database and
 * the R2 bucket wrangler.toml names, writes this deployment's configuration, sets the secrets not
 * set yet (typed at a hidden prompt or taken from EDGEDESK_<NAME>; never in an argument or the
 * output), notes a D1 Time Travel bookmark, applies the migrations and deploys the Worker.
 * `--dry-run` does the local part and prints the rest. docs/deploying.md tells the whole story.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { options } from "./lib/args";
import {
  checkSettings,
  customDomainOf,
  DEPLOY_CONFIG_FILE,
  type DeploySettings,
  deploymentConfig,
  previousDatabaseIds,
  readSettings,
  readWorkerConfig,
  requiredSecrets,
  SETTINGS_FILE,
  SettingsError,
  writeDeploymentConfig,
  writeSettings,
} from "./lib/deploy-config";
import { ROOT, WRANGLER_ENV } from "./lib/dev-server";
import { promptHidden } from "./lib/prompt";

const USAGE = `Usage: npm run deploy -- [options]

  --public-url URL            the Worker's public origin, e.g. https://desk.example.com (kept in deploy.json)
  --mail TRANSPORT            how notices leave: send_email, http or outbox (kept in deploy.json)
  --mail-http-url URL         for --mail http: the mail API's URL
  --mail-http-template JSON   for --mail http: the request body (see docs/deploying.md)
  --dir DIR                   where this deployment's deploy.json and wrangler.deploy.jsonc live (default: here)
  --skip-build                use the widget already built in dist/public
  --dry-run                   build and check locally, print the Cloudflare steps, change nothing there

Secrets not set yet are asked for at a hidden prompt, or read from EDGEDESK_ADMIN_SECRET,
EDGEDESK_SECRETS_KEY (generated if absent) and EDGEDESK_MAIL_HTTP_KEY.`;

const { values: flags, positionals } = options(
  {
    "public-url": { type: "string" },
    mail: { type: "string" },
    "mail-http-url": { type: "string" },
    "mail-http-template": { type: "string" },
    dir: { type: "string" },
    "skip-build": { type: "boolean" },
    "dry-run": { type: "boolean" },
  },
  USAGE,
);
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length > 0) {
  console.error(`Unexpected argument: ${positionals[0]}\n\n${USAGE}`);
  process.exit(2);
}

const dir = resolve(flags.dir ?? ROOT);
const workerConfigPath = join(ROOT, "wrangler.toml");
const deployConfigPath = join(dir, DEPLOY_CONFIG_FILE);
const dryRun = flags["dry-run"] ?? false;

/**
 * wrangler from PATH (under `npm run`, this project's own), with this project's as the fallback.
 * `capture` keeps its output for the script to read (and its complaints to itself, for probes
 * whose failure is an answer); otherwise the person deploying sees wrangler's own output.
 */
async function wrangler(
  args: string[],
  how: { input?: string; capture?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn("wrangler", args, {
    cwd: ROOT,
    env: { ...WRANGLER_ENV, PATH: `${process.env.PATH ?? ""}:${join(ROOT, "node_modules/.bin")}` },
    stdio: [
      how.input === undefined ? "ignore" : "pipe",
      how.capture ? "pipe" : "inherit",
      how.capture ? "pipe" : "inherit",
    ],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(how.input);
  const [code] = (await once(child, "exit")) as [number | null];
  return { code: code ?? 1, stdout, stderr };
}

/** Runs a wrangler command that must succeed (its arguments never hold a secret, so they can be shown). */
async function must(args: string[], how: { input?: string; capture?: boolean } = {}): Promise<string> {
  const { code, stdout, stderr } = await wrangler(args, how);
  if (code !== 0)
    throw new Error(`wrangler ${args.join(" ")} failed (exit ${code})${stderr ? `\n${stderr.trim()}` : ""}`);
  return stdout;
}

const config = ["--config", deployConfigPath];

interface Step {
  title: string;
  /** What the step does on Cloudflare, as the commands it runs. */
  plan: string[];
  run(): Promise<void>;
}

/** deploy.json, with what the command line says instead where it says something. */
async function settingsFromFlags(): Promise<DeploySettings> {
  const saved = await readSettings(dir);
  return checkSettings({
    publicUrl: flags["public-url"] ?? saved.publicUrl,
    mail: {
      transport: flags.mail ?? saved.mail?.transport,
      url: flags["mail-http-url"] ?? saved.mail?.url,
      template: flags["mail-http-template"] ?? saved.mail?.template,
    },
  });
}

async function secretValue(name: string): Promise<{ value: string; generated: boolean }> {
  const given = process.env[`EDGEDESK_${name}`];
  if (given) return { value: given, generated: false };
  // Key material nobody needs to know: Cloudflare keeps it.
  if (name === "SECRETS_KEY") return { value: randomBytes(32).toString("base64url"), generated: true };
  if (!process.stdin.isTTY)
    throw new Error(
      `${name} is not set on the Worker: set EDGEDESK_${name} in the environment, or run this in a terminal to type it.`,
    );
  return { value: await promptHidden(`${name} (typed characters are not shown): `), generated: false };
}

async function main(): Promise<void> {
  const settings = await settingsFromFlags();
  const worker = readWorkerConfig(workerConfigPath);
  const databases = (worker.d1_databases ?? []).map((db) => db.database_name ?? db.binding);
  const buckets = (worker.r2_buckets ?? []).map((b) => b.bucket_name ?? b.binding);
  // Every queue the Worker sends to, consumes or dead-letters into, once each.
  const queues = [
    ...new Set([
      ...(worker.queues?.producers ?? []).map((p) => p.queue),
      ...(worker.queues?.consumers ?? []).flatMap((c) => [
        c.queue,
        ...(c.dead_letter_queue ? [c.dead_letter_queue] : []),
      ]),
    ]),
  ];
  const ids = await previousDatabaseIds(dir);
  const writeConfig = () =>
    writeDeploymentConfig(
      deployConfigPath,
      deploymentConfig(worker, { settings, databaseIds: ids, workerConfigPath, outputPath: deployConfigPath }),
    );

  // Local: nothing on Cloudflare changes until the Worker builds and its configuration checks out.
  if (!flags["skip-build"]) {
    console.log("\n▸ Build the widget (vite build → dist/public)");
    // Loaded only here: vite is not needed for --skip-build.
    const { buildWidget } = await import("./lib/build-widget");
    await buildWidget();
  }
  console.log(`\n▸ Write ${DEPLOY_CONFIG_FILE} and check the bundle (wrangler deploy --dry-run)`);
  await writeConfig();
  const outdir = await mkdtemp(join(tmpdir(), "edgedesk-deploy-check-"));
  try {
    await must(["deploy", "--dry-run", "--outdir", outdir, ...config]);
    await access(join(outdir, "index.js"));
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }

  const secrets = requiredSecrets(settings);
  const domain = customDomainOf(settings.publicUrl);
  const steps: Step[] = [
    {
      title: "Check the Cloudflare login",
      plan: ["wrangler whoami"],
      run: async () => void (await must(["whoami"])),
    },
    ...databases.map((name) => ({
      title: `Link the D1 database "${name}", creating it if missing`,
      plan: ["wrangler d1 list --json", `wrangler d1 create ${name}   (only if it is not listed)`],
      run: async () => {
        const find = async () =>
          (
            JSON.parse(await must(["d1", "list", "--json"], { capture: true })) as { uuid: string; name: string }[]
          ).find((d) => d.name === name);
        let found = await find();
        if (!found) {
          await must(["d1", "create", name, "--update-config=false", ...config]);
          found = await find();
        }
        if (!found) throw new Error(`D1 database ${name} was created but is not listed`);
        console.log(`  ${name}: ${found.uuid}`);
        ids.set(name, found.uuid);
      },
    })),
    ...buckets.map((name) => ({
      title: `Link the R2 bucket "${name}", creating it if missing`,
      plan: [
        `wrangler r2 bucket info ${name} --json`,
        `wrangler r2 bucket create ${name}   (only if it does not exist)`,
      ],
      run: async () => {
        if ((await wrangler(["r2", "bucket", "info", name, "--json"], { capture: true })).code === 0)
          console.log(`  ${name}: exists`);
        else await must(["r2", "bucket", "create", name]);
      },
    })),
    ...queues.map((name) => ({
      title: `Link the queue "${name}", creating it if missing`,
      plan: [`wrangler queues info ${name}`, `wrangler queues create ${name}   (only if it does not exist)`],
      run: async () => {
        if ((await wrangler(["queues", "info", name], { capture: true })).code === 0) console.log(`  ${name}: exists`);
        else await must(["queues", "create", name]);
      },
    })),
    {
      title: `Write ${DEPLOY_CONFIG_FILE} with the database ids, and save ${SETTINGS_FILE}`,
      plan: [`${deployConfigPath}`, `${join(dir, SETTINGS_FILE)}`],
      run: async () => {
        await writeConfig();
        await writeSettings(dir, settings);
      },
    },
    {
      title: `Set the secrets not set yet (${secrets.join(", ")})`,
      plan: [
        "wrangler secret list --format json",
        "wrangler secret put <NAME>   (for each one missing; the value goes on stdin)",
      ],
      run: async () => {
        const listed = await wrangler(["secret", "list", "--format", "json", ...config], { capture: true });
        // Before the first deploy there is no Worker yet, so nothing is set.
        const set = new Set(
          listed.code === 0 ? (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name) : [],
        );
        for (const name of secrets.filter((n) => set.has(n))) console.log(`  ${name}: already set (kept)`);
        // Every missing value first, so that one that cannot be had stops the run before any is set.
        const missing: { name: string; value: string; generated: boolean }[] = [];
        for (const name of secrets.filter((n) => !set.has(n))) {
          const { value, generated } = await secretValue(name);
          if (value.length < 16)
            throw new Error(`${name} must be at least 16 characters long (e.g. openssl rand -base64 32)`);
          missing.push({ name, value, generated });
        }
        for (const { name, value, generated } of missing) {
          await must(["secret", "put", name, ...config], { input: value });
          console.log(
            `  ${name}: set${generated ? " (generated: 32 random bytes, kept only by Cloudflare; never change it)" : ""}`,
          );
        }
      },
    },
    ...databases.map((name) => ({
      title: `Note a Time Travel bookmark of "${name}", then apply its migrations`,
      plan: [`wrangler d1 time-travel info ${name} --json`, `wrangler d1 migrations apply ${name} --remote`],
      run: async () => {
        const { bookmark } = JSON.parse(
          await must(["d1", "time-travel", "info", name, "--json", ...config], { capture: true }),
        ) as { bookmark: string };
        console.log(`  before the migrations: bookmark ${bookmark}`);
        console.log(
          `  (to undo them: npx wrangler d1 time-travel restore ${name} --bookmark=${bookmark} --config ${deployConfigPath})`,
        );
        await must(["d1", "migrations", "apply", name, "--remote", ...config]);
      },
    })),
    {
      title: `Deploy the Worker${domain ? ` (Custom Domain ${domain})` : ""}`,
      plan: ["wrangler deploy"],
      run: async () => void (await must(["deploy", ...config])),
    },
  ];

  if (dryRun) {
    console.log(
      `\nDry run: the configuration builds. On Cloudflare, \`npm run deploy\` would now, with --config ${deployConfigPath}:`,
    );
    for (const [i, s] of steps.entries())
      console.log(`\n  ${i + 1}. ${s.title}\n${s.plan.map((p) => `       ${p}`).join("\n")}`);
    console.log("\nNothing was changed on Cloudflare.");
    return;
  }
  for (const [i, step] of steps.entries()) {
    console.log(`\n▸ ${i + 1}/${steps.length} ${step.title}`);
    await step.run();
  }
  console.log(`
Deployed: ${settings.publicUrl}

  Next: create a tenant   npm run admin -- --url ${settings.publicUrl} put <tenant> --file <tenant>.json
        (the admin secret: --admin-secret, or EDGEDESK_ADMIN_SECRET in the environment)
  Replies by mail: route each tenant's reply domain to this Worker with Email Routing (docs/deploying.md).
  Commit ${SETTINGS_FILE}: the next \`npm run deploy\` links the same resources and keeps the secrets.
`);
}

main().catch((error: unknown) => {
  console.error(
    `\n${error instanceof SettingsError ? error.message : `Deploy stopped: ${error instanceof Error ? error.message : String(error)}`}`,
  );
  if (error instanceof SettingsError) console.error(`\n${USAGE}`);
  process.exit(1);
});
