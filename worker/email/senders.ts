/**
 * Where composed mail goes, behind one interface. `send` resolves once the mail is accepted and
 * throws otherwise; the mailer retries what throws. Each is told the notification id, so a
 * retry of the same notice is recognisable downstream (outbox: a unique row; HTTP APIs: the
 * Idempotency-Key header; every mail: the same Message-ID).
 */
import { EmailMessage } from "cloudflare:email";
import { insertOutboxMail } from "../db/outbox";
import type { Env } from "../env";
import type { ComposedMail } from "./compose";

type Notice = { id: string; tenantId: string };

/** Hands the mail to something outside; resolves once it was accepted. */
export interface RemoteSender {
  readonly name: string;
  send(mail: ComposedMail, notice: Notice, now: number): Promise<void>;
}

/**
 * A sender that is itself a D1 write: the mailer writes its rows in one change with the notice's
 * "sent", which is the change's claim (no lease): when two runs both try, one change is lost whole.
 */
export interface D1Sender {
  readonly name: string;
  rows(mail: ComposedMail, notice: Notice, now: number): D1PreparedStatement[];
}

export type Sender = RemoteSender | D1Sender;

/** The local outbox (a D1 table): the default in development, shown at /demo/outbox. */
export function outboxSender(db: D1Database): D1Sender {
  return {
    name: "outbox",
    rows(mail, notice, now) {
      return [
        insertOutboxMail(db, {
          tenantId: notice.tenantId,
          notificationId: notice.id,
          messageId: mail.messageId,
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          raw: mail.raw,
          createdAt: now,
        }),
      ];
    },
  };
}

/** Cloudflare's `send_email` binding (Email Routing must have the recipient or be set to send). */
export function sendEmailSender(binding: SendEmail): RemoteSender {
  return {
    name: "send_email",
    async send(mail) {
      await binding.send(new EmailMessage(mail.from, mail.to, mail.raw));
    },
  };
}

export interface HttpMailApi {
  url: string;
  key: string;
  /**
   * The JSON body to post, with `{{from}}`, `{{to}}`, `{{subject}}`, `{{text}}`, `{{raw}}`,
   * `{{messageId}}` and `{{replyTo}}` in its string values replaced, e.g. for a provider that
   * takes raw MIME: `{"from":"{{from}}","to":["{{to}}"],"raw":"{{raw}}"}`.
   */
  template: unknown;
}

const DEFAULT_TEMPLATE = {
  from: "{{from}}",
  to: "{{to}}",
  subject: "{{subject}}",
  messageId: "{{messageId}}",
  raw: "{{raw}}",
};

function fill(template: unknown, values: Record<string, string>): unknown {
  if (typeof template === "string")
    return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
  if (Array.isArray(template)) return template.map((t) => fill(t, values));
  if (template && typeof template === "object")
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, values)]));
  return template;
}

/** A transactional mail API over HTTPS: any 2xx is accepted; anything else is retried. */
export function httpSender(
  api: HttpMailApi,
  transport: (request: Request) => Promise<Response> = (r) => fetch(r),
): RemoteSender {
  return {
    name: "http",
    async send(mail, notice) {
      const body = fill(api.template ?? DEFAULT_TEMPLATE, {
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        raw: mail.raw,
        messageId: mail.messageId,
        replyTo: mail.replyTo ?? "",
      });
      const res = await transport(
        new Request(api.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${api.key}`,
            "idempotency-key": notice.id,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        }),
      );
      if (!res.ok) throw new Error(`mail API answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    },
  };
}

/** The sender this deployment is configured for (MAIL_TRANSPORT; default the outbox). */
export function configuredSender(env: Env): Sender {
  switch (env.MAIL_TRANSPORT ?? "outbox") {
    case "send_email":
      if (!env.EMAIL) throw new Error('MAIL_TRANSPORT is "send_email" but there is no EMAIL send_email binding');
      return sendEmailSender(env.EMAIL);
    case "http":
      if (!env.MAIL_HTTP_URL || !env.MAIL_HTTP_KEY)
        throw new Error('MAIL_TRANSPORT is "http" but MAIL_HTTP_URL or MAIL_HTTP_KEY is not set');
      return httpSender({
        url: env.MAIL_HTTP_URL,
        key: env.MAIL_HTTP_KEY,
        template: env.MAIL_HTTP_TEMPLATE ? (JSON.parse(env.MAIL_HTTP_TEMPLATE) as unknown) : undefined,
      });
    case "outbox":
      return outboxSender(env.DB);
    default:
      throw new Error(`MAIL_TRANSPORT "${env.MAIL_TRANSPORT}" is not one of outbox, send_email, http`);
  }
}
