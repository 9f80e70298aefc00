/**
 * What `npm run deploy` knows about one deployment. wrangler.toml describes the Worker for
 * everyone (and runs local development and the tests, with its placeholder database id); a
 * deployment adds its own decisions, kept in `deploy.json` (committed in the provider's fork), and
 * the ids of the resources it found or created. From the two the script writes
 * `wrangler.deploy.jsonc`, the configuration every remote wrangler command is given (`--config`):
 * regenerated on every run, so a new release's bindings, crons and variables always reach it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { experimental_readRawConfig, type Unstable_RawConfig } from "wrangler";

export const SETTINGS_FILE = "deploy.json";
export const DEPLOY_CONFIG_FILE = "wrangler.deploy.jsonc";
/** wrangler.toml's stand-in id, for local development only. */
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

export type MailSettings =
  | { transport: "outbox" }
  | { transport: "send_email" }
  | { transport: "http"; url: string; template?: string };

/** The provider's decisions for one deployment (deploy.json). */
export interface DeploySettings {
  /** Public origin of the Worker: links in mail and alerts; a host outside workers.dev becomes its Custom Domain. */
  publicUrl: string;
  mail: MailSettings;
}

/** The secrets a deployment needs (set with `wrangler secret put`, never written anywhere). */
export function requiredSecrets(settings: DeploySettings): string[] {
  return ["ADMIN_SECRET", "SECRETS_KEY", ...(settings.mail.transport === "http" ? ["MAIL_HTTP_KEY"] : [])];
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Settings as read from deploy.json and the command line, before they are checked. */
export interface SettingsInput {
  publicUrl?: string | undefined;
  mail?: { transport?: string | undefined; url?: string | undefined; template?: string | undefined } | undefined;
}

/** Checks settings from deploy.json or flags, saying what is wrong in words. */
export function checkSettings(value: SettingsInput): DeploySettings {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(value.publicUrl ?? "");
  } catch {
    problems.push("publicUrl (--public-url) must be the Worker's public origin, e.g. https://desk.example.com");
  }
  if (url && (url.protocol !== "https:" || url.pathname !== "/" || url.search || url.hash))
    problems.push(`publicUrl must be an https:// origin with no path, not ${value.publicUrl}`);
  const { transport, url: mailUrl = "", template } = value.mail ?? {};
  const kind = (["send_email", "http", "outbox"] as const).find((k) => k === transport);
  if (!kind)
    problems.push(
      'mail.transport (--mail) must be "send_email", "http" or "outbox" (see docs/deploying.md, "Decide first")',
    );
  if (kind === "http") {
    if (!/^https:\/\//.test(mailUrl)) problems.push("mail.url (--mail-http-url) must be the mail API's https:// URL");
    if (template !== undefined) {
      try {
        JSON.parse(template);
      } catch {
        problems.push("mail.template (--mail-http-template) must be JSON");
      }
    }
  }
  if (problems.length > 0 || !url || !kind) throw new SettingsError(`Deploy settings:\n  - ${problems.join("\n  - ")}`);
  const mail: MailSettings =
    kind === "http"
      ? { transport: kind, url: mailUrl, ...(template !== undefined && { template }) }
      : { transport: kind };
  return { publicUrl: url.origin, mail };
}

export async function readSettings(dir: string): Promise<SettingsInput> {
  try {
    return JSON.parse(await readFile(join(dir, SETTINGS_FILE), "utf8")) as SettingsInput;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

export async function writeSettings(dir: string, settings: DeploySettings): Promise<void> {
  await writeFile(join(dir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
}

/** wrangler.toml as written (no defaults filled in), for turning into a deployment's configuration. */
export function readWorkerConfig(configPath: string): Unstable_RawConfig {
  return experimental_readRawConfig({ config: configPath }).rawConfig;
}

/** The Custom Domain for the public URL, or none on workers.dev. */
export function customDomainOf(publicUrl: string): string | null {
  const host = new URL(publicUrl).hostname;
  return host.endsWith(".workers.dev") ? null : host;
}

/** The D1 ids already written for this deployment, by database name (none before the first run). */
export async function previousDatabaseIds(dir: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  try {
    const { rawConfig } = experimental_readRawConfig({ config: join(dir, DEPLOY_CONFIG_FILE) });
    for (const db of rawConfig.d1_databases ?? [])
      if (db.database_name && db.database_id) ids.set(db.database_name, db.database_id);
  } catch {
    // no configuration written yet
  }
  return ids;
}

/**
 * wrangler.toml turned into one deployment's configuration: its database ids, public URL, mail
 * transport and Custom Domain. Paths are rewritten relative to where the file is written.
 */
export function deploymentConfig(
  worker: Unstable_RawConfig,
  options: { settings: DeploySettings; databaseIds: Map<string, string>; workerConfigPath: string; outputPath: string },
): Unstable_RawConfig {
  const from = dirname(resolve(options.workerConfigPath));
  const to = dirname(resolve(options.outputPath));
  const path = (p: string) => relative(to, resolve(from, p)) || ".";
  const { mail, publicUrl } = options.settings;
  const domain = customDomainOf(publicUrl);
  return {
    ...worker,
    ...(worker.main !== undefined && { main: path(worker.main) }),
    ...(worker.assets && {
      assets: {
        ...worker.assets,
        ...(worker.assets.directory !== undefined && { directory: path(worker.assets.directory) }),
      },
    }),
    d1_databases: (worker.d1_databases ?? []).map((db) => ({
      ...db,
      database_id: (db.database_name && options.databaseIds.get(db.database_name)) || PLACEHOLDER_ID,
      ...(db.migrations_dir !== undefined && { migrations_dir: path(db.migrations_dir) }),
    })),
    vars: {
      ...worker.vars,
      PUBLIC_URL: publicUrl,
      MAIL_TRANSPORT: mail.transport,
      ...(mail.transport === "http" && {
        MAIL_HTTP_URL: mail.url,
        ...(mail.template !== undefined && { MAIL_HTTP_TEMPLATE: mail.template }),
      }),
    },
    ...(mail.transport === "send_email" && { send_email: [{ name: "EMAIL" }] }),
    ...(domain && { routes: [{ pattern: domain, custom_domain: true }] }),
  };
}

export async function writeDeploymentConfig(outputPath: string, config: Unstable_RawConfig): Promise<void> {
  const header = [
    "// Written by `npm run deploy` from wrangler.toml and deploy.json, with the ids of this deployment's",
    "// resources. Regenerated on every run: change wrangler.toml or deploy.json instead of this file.",
    "// Give it to wrangler for remote work by hand: npx wrangler <command> --config wrangler.deploy.jsonc",
  ].join("\n");
  await writeFile(outputPath, `${header}\n${JSON.stringify(config, null, 2)}\n`);
}
