/**
 * A tenant's own admins changing their desk (docs/console.md, "Escalation and settings"): the
 * config by the same schemas as the provider's admin API, the embed secrets, and a preview of
 * the hours. Each change is one change with its audit row; the isolate that makes it forgets its
 * cached tenant at once, every other isolate within TENANT_CACHE_MS (middleware/tenant-cache.ts).
 */
import { randomToken } from "../auth/encoding";
import type { Staff } from "../auth/staff";
import { insertAudit } from "../db/audit";
import { insertTenantSecret, revokeTenantSecretUnlessLast, updateTenantIfUnchanged } from "../db/settings";
import { readTenantByMailDomain, readTenantWithSecretInfo, type SecretInfo } from "../db/tenants";
import { claim, writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError, type FieldError, notFound } from "../errors";
import { nextClosing, nextOpening } from "../hours/calendar";
import { forgetTenant } from "../middleware/tenant-cache";
import type { BusinessCalendar } from "../schemas/calendar";
import { PROVIDER_CONTROLLED, type SettingsPatch, type SettingsView } from "../schemas/settings";
import { type Tenant, TenantConfig } from "../schemas/tenant";

const iso = (ms: number) => new Date(ms).toISOString();

/** The settings page's view: the config without the webhook secret, the embed secrets by key id. */
export function settingsView(tenant: Tenant, secrets: SecretInfo[]): SettingsView {
  const { webhookSecret, ...emergency } = tenant.config.emergency;
  return {
    id: tenant.id,
    name: tenant.name,
    parentId: tenant.parentId,
    config: { ...tenant.config, emergency },
    webhookSecretSet: webhookSecret !== undefined,
    providerControlled: [...PROVIDER_CONTROLLED],
    secrets: secrets.map((s) => ({
      kid: s.kid,
      createdAt: iso(s.createdAt),
      revokedAt: s.revokedAt === null ? null : iso(s.revokedAt),
    })),
    updatedAt: iso(tenant.updatedAt),
  };
}

export async function readSettings(env: Env, tenantId: string): Promise<SettingsView> {
  const found = await readTenantWithSecretInfo(env.DB, tenantId);
  if (!found) throw notFound("tenant");
  return settingsView(found.tenant, found.secrets);
}

/**
 * Applies `given` (the parts the request named: `patch` holds them parsed, with their defaults)
 * over the stored settings, checks the whole config as the admin API does, and writes it with an
 * audit row naming the parts that changed. Nothing changed: nothing written, no audit row.
 */
export async function patchSettings(
  env: Env,
  tenantId: string,
  who: Staff,
  patch: SettingsPatch,
  given: ReadonlySet<string>,
  now: number,
): Promise<SettingsView> {
  const found = await readTenantWithSecretInfo(env.DB, tenantId);
  if (!found) throw notFound("tenant");
  const { tenant, secrets } = found;
  const { name, ...parts } = patch;
  const draft: Record<string, unknown> = { ...tenant.config };
  for (const [key, value] of Object.entries(parts)) if (given.has(key)) draft[key] = value;
  // The webhook secret is never shown, so a form sends the policy without it: left out, it stays.
  const secretGiven = given.has("emergency") && parts.emergency?.webhookSecret !== undefined;
  if (given.has("emergency") && !secretGiven && tenant.config.emergency.webhookSecret !== undefined)
    draft.emergency = { ...parts.emergency, webhookSecret: tenant.config.emergency.webhookSecret };
  const checked = TenantConfig.safeParse(draft);
  if (!checked.success) {
    const errors: FieldError[] = checked.error.issues.map((i) => ({
      path: i.path.map(String).join(".") || "(body)",
      message: i.message,
    }));
    throw new ApiError("validation_failed", errors.map((e) => `${e.path}: ${e.message}`).join("; "), errors);
  }
  const config = checked.data;
  const nextName = given.has("name") && name !== undefined ? name : tenant.name;
  const changed = Object.keys(config).filter(
    (key) =>
      JSON.stringify(config[key as keyof TenantConfig]) !== JSON.stringify(tenant.config[key as keyof TenantConfig]),
  );
  if (nextName !== tenant.name) changed.unshift("name");
  if (changed.length === 0) return settingsView(tenant, secrets);
  if (changed.includes("email")) await checkMailDomain(env, tenant, config);

  const written = await writeChange(env.DB, [
    claim(
      updateTenantIfUnchanged(env.DB, { id: tenant.id, name: nextName, config, readUpdatedAt: tenant.updatedAt, now }),
    ),
    insertAudit(env.DB, {
      tenantId: tenant.id,
      ticketId: null,
      actorId: who.id,
      actorName: who.name,
      action: "settings.update",
      detail: { keys: changed.join(","), ...(secretGiven && { webhookSecret: "set" }) },
      createdAt: now,
    }),
  ]);
  if (written.outcome === "lost")
    throw new ApiError(
      "conflict",
      "The settings changed meanwhile (another admin, or your provider); reload and try again.",
    );
  forgetTenant(tenant.id);
  return settingsView({ ...tenant, name: nextName, config, updatedAt: Math.max(now, tenant.updatedAt + 1) }, secrets);
}

/** A desk's mail domain is its own: one another tenant uses (its replies, its From) is refused. */
async function checkMailDomain(env: Env, tenant: Tenant, config: TenantConfig): Promise<void> {
  const { replyDomain, fromAddress } = config.email;
  const domain = replyDomain ?? fromAddress?.split("@")[1];
  if (!domain) return;
  const owner = await readTenantByMailDomain(env.DB, domain);
  if (owner && owner.id !== tenant.id) {
    const path = replyDomain ? "email.replyDomain" : "email.fromAddress";
    const message = `the mail domain ${domain} belongs to another desk`;
    throw new ApiError("validation_failed", `${path}: ${message}`, [{ path, message }]);
  }
}

/** A new embed secret, returned once (the host panel stores it); an audit row names its kid, never the secret. */
export async function addSecret(env: Env, tenantId: string, who: Staff, now: number) {
  const key = { kid: `k${now.toString(36)}${randomToken(3)}`, secret: randomToken(32) };
  await writeChange(env.DB, [
    insertTenantSecret(env.DB, tenantId, key, now),
    insertAudit(env.DB, {
      tenantId,
      ticketId: null,
      actorId: who.id,
      actorName: who.name,
      action: "secret.add",
      detail: { kid: key.kid },
      createdAt: now,
    }),
  ]);
  forgetTenant(tenantId);
  return key;
}

/**
 * Revokes an embed secret: never the one that signed this request (sign with the new one first)
 * nor the last active one (the desk would lock itself out): 409 either way.
 */
export async function revokeSecret(
  env: Env,
  tenantId: string,
  who: Staff,
  kid: string,
  signedWith: string | null,
  now: number,
): Promise<void> {
  if (kid === signedWith)
    throw new ApiError(
      "conflict",
      `Key ${kid} signed this request: switch your panel to another key before revoking this one.`,
    );
  const written = await writeChange(env.DB, [
    claim(revokeTenantSecretUnlessLast(env.DB, tenantId, kid, now)),
    insertAudit(env.DB, {
      tenantId,
      ticketId: null,
      actorId: who.id,
      actorName: who.name,
      action: "secret.revoke",
      detail: { kid },
      createdAt: now,
    }),
  ]);
  if (written.outcome === "lost") {
    const found = await readTenantWithSecretInfo(env.DB, tenantId);
    const active = found?.secrets.filter((s) => s.revokedAt === null) ?? [];
    if (!active.some((s) => s.kid === kid)) throw notFound("active secret");
    throw new ApiError("conflict", `Key ${kid} is this desk's last active key; add another before revoking it.`);
  }
  forgetTenant(tenantId);
}

/** The next `count` opening spans of a calendar from `now` (the first starts now when open now). */
export function nextOpenings(
  cal: BusinessCalendar,
  now: number,
  count: number,
): { opensAt: string; closesAt: string | null }[] {
  const openings: { opensAt: string; closesAt: string | null }[] = [];
  let from = new Date(now);
  while (openings.length < count) {
    const opens = nextOpening(cal, from);
    if (!opens) break;
    const closes = nextClosing(cal, opens);
    openings.push({ opensAt: opens.toISOString(), closesAt: closes ? closes.toISOString() : null });
    if (!closes || closes.getTime() <= from.getTime()) break;
    from = closes;
  }
  return openings;
}
