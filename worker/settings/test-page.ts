/**
 * "Send a test page" from the settings: checks that one alert contact can be reached, the way a
 * real page reaches it (alerts/delivery.ts). A webhook gets a signed POST right away (same
 * signature header as a page; `type: "edgedesk.test"`, so a receiver can tell it from a real
 * alert) and the answer says what it replied. An email contact gets a notice of kind `alert`
 * (trigger `test_page`, no ticket) sent at once through the mailer (email/mailer.ts), and the
 * answer says whether the sender took it; a test mail is not retried.
 */
import { postSignedWebhook, type Transport } from "../alerts/delivery";
import type { Staff } from "../auth/staff";
import { insertNotification } from "../db/notifications";
import { deliverDueMail } from "../email/mailer";
import type { Env } from "../env";
import { fieldError } from "../errors";
import type { Tenant } from "../schemas/tenant";

export interface TestPageResult {
  contact: { index: number; name: string; channel: "webhook" | "email" };
  /** Webhook: it answered 2xx. Email: the mailer's sender accepted the mail. */
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

export async function sendTestPage(
  env: Env,
  tenant: Tenant,
  who: Staff,
  index: number,
  now: number,
  transport: Transport,
): Promise<TestPageResult> {
  const contacts = tenant.config.emergency.contacts;
  const contact = contacts[index];
  if (!contact)
    throw fieldError(
      "contact",
      contacts.length ? `must be a contact's index, 0 to ${contacts.length - 1}` : "this desk has no alert contacts",
    );
  const about = { index, name: contact.name, channel: contact.channel };
  const payload = {
    type: "edgedesk.test",
    deliveryId: `test.${crypto.randomUUID()}`,
    trigger: "test_page",
    tenant: { id: tenant.id, name: tenant.name },
    contact: { index, name: contact.name },
    sentBy: who.name,
    createdAt: new Date(now).toISOString(),
  };
  if (contact.channel === "email") {
    const id = crypto.randomUUID();
    await insertNotification(env.DB, {
      id,
      tenantId: tenant.id,
      ticketId: null,
      kind: "alert",
      recipient: contact.email,
      dedupeKey: `test_page:${payload.deliveryId}`,
      payload,
      createdAt: now,
    }).run();
    // Sent now, through the mailer, so that the admin sees whether it went out; it is not retried.
    const mailed = await deliverDueMail(env, now, { notificationId: id, tenant });
    const error =
      mailed.sent === 1
        ? null
        : mailed.skipped === 1
          ? "this desk has no email.fromAddress, so no mail goes out"
          : "the mail was not accepted; see the Worker's log";
    return { contact: about, delivered: mailed.sent === 1, statusCode: null, error };
  }
  const body = JSON.stringify(payload);
  try {
    const res = await postSignedWebhook(transport, tenant, contact.url, body, payload.deliveryId, now);
    await res.body?.cancel();
    return {
      contact: about,
      delivered: res.ok,
      statusCode: res.status,
      error: res.ok ? null : `HTTP ${res.status}`,
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { contact: about, delivered: false, statusCode: null, error: message.slice(0, 300) };
  }
}
