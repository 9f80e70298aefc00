/**
 * The status notice (docs/api.md, "Status notice"): a maintenance or incident notice the widget
 * shows at its top and on the new-ticket form, set by the tenant's admins or by a status page's
 * signed webhook. It lives on the tenant's row, so `/config` reads it from the cached tenant with
 * no round trip, and decides at each request whether now is inside its window. Each change is
 * one change with its audit row; the isolate that makes it forgets its cached tenant at once,
 * every other isolate within TENANT_CACHE_MS (middleware/tenant-cache.ts).
 */
import { STANDARD_WEBHOOK_TOLERANCE_SECONDS } from "../auth/standard-webhooks";
import { type AuditAction, insertAudit } from "../db/audit";
import {
  forgetExpiredWebhookIds,
  rememberWebhookId,
  updateStatusNotice,
  updateStatusWebhookSecret,
} from "../db/status-notice";
import { claim, writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError, fieldError } from "../errors";
import { forgetTenant } from "../middleware/tenant-cache";
import type { PublicStatusNotice, StatusNoticeInput, StoredStatusNotice } from "../schemas/status-notice";

/** Who set it: an admin (from their verified token), or the status page. */
export interface NoticeActor {
  id: string;
  name: string;
}

export const WEBHOOK_ACTOR: NoticeActor = { id: "status-webhook", name: "webhook" };

const iso = (at: string | null) => (at === null ? null : new Date(at).toISOString());

/** Whether the widget shows it at `now`: from its start (inclusive) to its end (exclusive). */
export function noticeShowing(
  notice: StoredStatusNotice | null | undefined,
  now: number,
): notice is StoredStatusNotice {
  if (!notice) return false;
  return (
    (notice.startsAt === null || Date.parse(notice.startsAt) <= now) &&
    (notice.endsAt === null || now < Date.parse(notice.endsAt))
  );
}

/** What `/config` carries: the notice while it is showing, else null. */
export function publicNotice(notice: StoredStatusNotice | null | undefined, now: number): PublicStatusNotice | null {
  if (!noticeShowing(notice, now)) return null;
  const { text, severity, startsAt, endsAt, affects } = notice;
  return { text, severity, startsAt, endsAt, affects };
}

/**
 * Milliseconds until the notice appears or goes by itself (null: not by itself), so an answer
 * cached by the browser is never kept past that moment.
 */
export function noticeChangesIn(notice: StoredStatusNotice | null | undefined, now: number): number | null {
  const next = [notice?.startsAt, notice?.endsAt]
    .map((at) => (at ? Date.parse(at) : Number.NaN))
    .filter((at) => at > now)
    .sort((a, b) => a - b)[0];
  return next === undefined ? null : next - now;
}

/** The input as stored: times normalised to UTC, who set it and when. A window already over is refused. */
function toStored(input: StatusNoticeInput, who: NoticeActor, now: number, at = ""): StoredStatusNotice {
  if (input.endsAt !== null && Date.parse(input.endsAt) <= now)
    throw fieldError(`${at}endsAt`, "has already passed: the notice would never show");
  return {
    text: input.text,
    severity: input.severity,
    startsAt: iso(input.startsAt),
    endsAt: iso(input.endsAt),
    affects: input.affects,
    setAt: new Date(now).toISOString(),
    setBy: who.name,
  };
}

function audit(
  env: Env,
  tenantId: string,
  who: NoticeActor,
  action: AuditAction,
  detail: Record<string, string>,
  now: number,
) {
  return insertAudit(env.DB, {
    tenantId,
    ticketId: null,
    actorId: who.id,
    actorName: who.name,
    action,
    detail,
    createdAt: now,
  });
}

function noticeDetail(notice: StoredStatusNotice | null): Record<string, string> {
  return notice ? { severity: notice.severity, startsAt: notice.startsAt ?? "", endsAt: notice.endsAt ?? "" } : {};
}

/** Sets (replaces) the tenant's notice, or clears it with null. */
export async function setStatusNotice(
  env: Env,
  tenantId: string,
  who: NoticeActor,
  input: StatusNoticeInput | null,
  now: number,
): Promise<StoredStatusNotice | null> {
  const notice = input === null ? null : toStored(input, who, now);
  await writeChange(env.DB, [
    updateStatusNotice(env.DB, tenantId, notice),
    audit(env, tenantId, who, notice ? "status_notice.set" : "status_notice.clear", noticeDetail(notice), now),
  ]);
  forgetTenant(tenantId);
  return notice;
}

/** A new webhook secret (replacing any), returned this once; null turns the webhook off. */
export async function setStatusWebhookSecret(
  env: Env,
  tenantId: string,
  who: NoticeActor,
  secret: string | null,
  now: number,
): Promise<void> {
  await writeChange(env.DB, [
    updateStatusWebhookSecret(env.DB, tenantId, secret),
    audit(env, tenantId, who, secret ? "status_webhook.secret" : "status_webhook.off", {}, now),
  ]);
}

/**
 * A verified delivery from the status page: remembers its id (the claim: a replay is lost whole
 * and answered 409) and sets or clears the notice, in one change. Input that fails the checks
 * changes nothing, the id included, so the sender may correct it and send again.
 */
export async function receiveStatusWebhook(
  env: Env,
  tenantId: string,
  delivery: { id: string; timestamp: number },
  input: StatusNoticeInput | null,
  now: number,
): Promise<StoredStatusNotice | null> {
  const notice = input === null ? null : toStored(input, WEBHOOK_ACTOR, now, "notice.");
  const expiresAt = (delivery.timestamp + STANDARD_WEBHOOK_TOLERANCE_SECONDS + 1) * 1000;
  const written = await writeChange(env.DB, [
    forgetExpiredWebhookIds(env.DB, tenantId, now),
    claim(rememberWebhookId(env.DB, tenantId, delivery.id, expiresAt)),
    updateStatusNotice(env.DB, tenantId, notice),
    audit(
      env,
      tenantId,
      WEBHOOK_ACTOR,
      notice ? "status_notice.set" : "status_notice.clear",
      { ...noticeDetail(notice), webhookId: delivery.id },
      now,
    ),
  ]);
  if (written.outcome === "lost")
    throw new ApiError("conflict", `Delivery ${delivery.id} was received before; a replay changes nothing.`);
  forgetTenant(tenantId);
  return notice;
}
