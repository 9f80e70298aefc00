import { z } from "@hono/zod-openapi";
import { PLACEHOLDERS, unknownPlaceholders } from "../../shared/placeholders";
import { multiLine, singleLine } from "./text";

const Iso = z.string().openapi({ format: "date-time" });

// ── Canned replies ──────────────────────────────────────────────────────────────────────────

const placeholderList = PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ");

export const CannedReplyBody = z
  .object({
    title: singleLine(1, 120).openapi({ description: "Unique per tenant.", example: "Plugin rolled back" }),
    body: multiLine(1, 20_000)
      .superRefine((body, ctx) => {
        const unknown = unknownPlaceholders(body);
        if (unknown.length)
          ctx.addIssue({
            code: "custom",
            message: `uses the unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(", ")}; the known ones are ${placeholderList}`,
          });
      })
      .openapi({ description: `The reply's text; may use the placeholders ${placeholderList}.` }),
  })
  .strict()
  .openapi("CannedReplyBody");
export type CannedReplyBody = z.infer<typeof CannedReplyBody>;

export const CannedReplyView = z
  .object({ id: z.string(), title: z.string(), body: z.string(), updatedAt: Iso })
  .openapi("CannedReply");
export type CannedReplyView = z.infer<typeof CannedReplyView>;

export const CannedReplyListResponse = z.object({ cannedReplies: z.array(CannedReplyView) });
export type CannedReplyListResponse = z.infer<typeof CannedReplyListResponse>;
export const CannedReplyResponse = z.object({ cannedReply: CannedReplyView });
export type CannedReplyResponse = z.infer<typeof CannedReplyResponse>;

export const CannedReplyPath = z.object({
  tenant: z
    .string()
    .max(48)
    .openapi({ param: { name: "tenant", in: "path" } }),
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "The canned reply's id." }),
});

// ── Audit log ───────────────────────────────────────────────────────────────────────────────

export const AuditQuery = z.object({
  ticket: z.string().max(64).optional().openapi({ description: "Only this ticket's entries (its id)." }),
  agent: z.string().max(120).optional().openapi({ description: "Only this agent's or admin's actions (their id)." }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page." }),
});

export const AuditEntryView = z
  .object({
    id: z.string(),
    ticketId: z.string().nullable(),
    actor: z.object({ id: z.string(), name: z.string() }),
    action: z.string().openapi({
      description:
        "reply, note, status, priority, department, assignee, reveal, escalate, canned.create|update|delete, agent.deactivate|reactivate, settings.update, secret.add|revoke, people.export|erase, tenant.export, status_notice.set|clear, status_webhook.secret|off, webhook.add|rotate|remove.",
    }),
    detail: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .openapi({ description: "What changed: from/to and reason, ids. Never a message's text or a secret." }),
    createdAt: Iso,
  })
  .openapi("AuditEntry");

export const AuditListResponse = z.object({ entries: z.array(AuditEntryView), nextCursor: z.string().nullable() });
export type AuditListResponse = z.infer<typeof AuditListResponse>;
