import { z } from "@hono/zod-openapi";
import { clientRecord, multiLine, singleLine } from "./text";

export const STATUSES = ["open", "in_progress", "answered", "on_hold", "closed"] as const;
export const Status = z.enum(STATUSES).openapi("Status");
export type Status = z.infer<typeof Status>;

export const PRIORITIES = ["information", "low", "medium", "high", "urgent"] as const;
export const Priority = z.enum(PRIORITIES).openapi("Priority");
export type Priority = z.infer<typeof Priority>;

export const Subject = singleLine(3, 200).openapi({ example: "500 Error on example.com" });
export const MessageBody = multiLine(1, 20_000);

const Email = z.email({ error: "must be an email address" }).max(254);

export const GuestInput = z
  .object({
    name: singleLine(1, 120),
    email: Email,
    returnUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .openapi({
        description:
          "The panel page the guest filed from: their private link (mailed to them) opens the ticket there. Must be on one of the tenant's allowed origins.",
      }),
  })
  .strict()
  .openapi("GuestInput", {
    description: "Who a guest is, when the tenant takes guests: no credentials, and an `accessKey` back.",
  });

// Checked against the department's definitions in worker/tickets/fields.ts.
export const FieldValues = clientRecord(z.string().max(40), z.union([multiLine(0, 2000), z.boolean()])).openapi(
  "FieldValues",
  {
    description:
      "Values of the department's extra fields (`departments[].fields` of the form definition), by field id.",
  },
);
export type FieldValues = z.infer<typeof FieldValues>;

export const AttachmentIds = z
  .array(z.string().min(1).max(64))
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, "lists the same upload twice")
  .optional()
  .openapi({
    description:
      "Ids from POST /uploads, at most the tenant's `maxFilesPerMessage`; each upload can be attached once, by its uploader.",
  });

export const CreateTicketBody = z
  .object({
    department: z
      .string()
      .min(1)
      .max(40)
      .openapi({ description: "The id of one of the tenant's departments.", example: "technical" }),
    subject: Subject,
    message: MessageBody.openapi({ description: "The customer's first message." }),
    priority: Priority.default("medium"),
    serviceId: z
      .string()
      .min(1)
      .max(120)
      .optional()
      .openapi({ description: "One of the services in the user's embed token: what the ticket is about." }),
    fields: FieldValues.default({}),
    sensitive: z.string().min(1).max(4000).optional().openapi({
      description: "Write-only: a password or other secret for staff. Encrypted at rest, never returned or mailed.",
    }),
    guest: GuestInput.optional().openapi({ description: "Only without credentials, where the tenant takes guests." }),
    attachmentIds: AttachmentIds,
  })
  .strict()
  .openapi("CreateTicketBody");
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const ReplyBody = z
  .object({
    body: MessageBody,
    internal: z
      .boolean()
      .default(false)
      .openapi({ description: "Agents only: a note other agents see and the customer never does." }),
    attachmentIds: AttachmentIds,
    status: Status.optional().openapi({
      description:
        "Staff only, not with `internal`: reply and set this status in one step (e.g. `on_hold` with a `reason`, or `closed`).",
    }),
    reason: multiLine(1, 500)
      .optional()
      .openapi({ description: "Staff only, with `status`: why, kept in the ticket's history beside the change." }),
    seenVersion: z.number().int().min(0).optional().openapi({
      description:
        "Staff only: the ticket's `version` the agent's view was read at. If the ticket changed since (a customer message, another agent's reply or note, a status change…), the answer is 409 `changed_meanwhile` and nothing is written.",
    }),
  })
  .strict()
  .refine((b) => !(b.internal && b.status !== undefined), {
    path: ["status"],
    message: "an internal note never changes the status: reply publicly, or change the status on its own",
  })
  .refine((b) => b.reason === undefined || b.status !== undefined, {
    path: ["reason"],
    message: "is the reason for a status change: give `status` with it",
  })
  .openapi("ReplyBody");
export type ReplyBody = z.infer<typeof ReplyBody>;

export const PatchTicketBody = z
  .object({
    status: Status.optional(),
    priority: Priority.optional(),
    department: z.string().min(1).max(40).optional(),
    assignee: singleLine(1, 120)
      .nullable()
      .optional()
      .openapi({ description: "Staff only: who works on it; null to unassign." }),
    reason: multiLine(1, 500)
      .optional()
      .openapi({ description: "Why: kept in the ticket's history beside the change." }),
    reasonCode: z.enum(["resolved_by_customer"]).optional().openapi({
      description:
        'Customers only, with `status: closed` and without `reason`: a fixed reason instead of words. `resolved_by_customer` is the thread\'s "Solved? Close the ticket": the history says "Resolved by the customer" and the ticket\'s `statusReason.kind` is `resolved_by_customer`.',
    }),
  })
  .strict()
  .refine((b) => b.status ?? b.priority ?? b.department ?? b.assignee !== undefined, {
    message: "nothing to change: give status, priority, department or assignee",
  })
  .refine((b) => b.reasonCode === undefined || (b.status === "closed" && b.reason === undefined), {
    path: ["reasonCode"],
    message: "goes with `status: closed` and instead of `reason`",
  })
  .openapi("PatchTicketBody");
export type PatchTicketBody = z.infer<typeof PatchTicketBody>;

export const FeedbackBody = z.object({ helpful: z.boolean() }).strict().openapi("FeedbackBody");

export const ListTicketsQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === "") return undefined;
      const parts = s.split(",");
      for (const p of parts) {
        if (!(STATUSES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: "custom", message: `unknown status "${p}"; one or more of ${STATUSES.join(", ")}` });
          return z.NEVER;
        }
      }
      return parts as Status[];
    })
    .openapi({ type: "string", description: "One status, or several separated by commas.", example: "open,answered" }),
  priority: Priority.optional(),
  department: z.string().max(40).optional(),
  q: z.string().trim().max(200).optional().openapi({ description: "Words of the subject, or a ticket number." }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page." }),
});

const Iso = z.string().openapi({ format: "date-time" });

export const ExpectedResponse = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("business_hours") }),
    z.object({ kind: z.literal("on_call") }),
    z.object({ kind: z.literal("next_morning") }),
    z.object({ kind: z.literal("next_business_day"), opensAt: Iso.nullable() }),
  ])
  .openapi("ExpectedResponse", {
    description:
      "When an answer can be expected: `business_hours` (support is open); after hours, for an emergency priority, `on_call` (the on-call team is alerted) or, between local midnight and 06:00, `next_morning`; for other priorities `next_business_day`, at `opensAt` (null if the calendar never opens).",
  });

export const TicketView = z
  .object({
    id: z.string(),
    number: z
      .number()
      .int()
      .openapi({ description: "The number people quote, e.g. in mail subjects; the `id` is for the API." }),
    subject: z.string(),
    status: Status,
    priority: Priority,
    department: z.string(),
    serviceId: z.string().nullable(),
    service: z.object({ id: z.string(), label: z.string() }).nullable(),
    fields: FieldValues,
    requester: z.object({
      kind: z.enum(["user", "guest"]),
      id: z.string(),
      name: z.string(),
      email: z.string(),
    }),
    assignee: z.string().nullable(),
    hasSensitive: z.boolean().openapi({
      description:
        "A sensitive value is held; staff reveal it with `POST …/sensitive/reveal` (erased when the ticket closes).",
    }),
    createdAt: Iso,
    updatedAt: Iso,
    lastActivityAt: Iso,
    answeredAt: Iso.nullable(),
    closedAt: Iso.nullable(),
    version: z.number().int().optional().openapi({
      description:
        "Staff only: the ticket's version as read. Send it back as `seenVersion` with a reply, to be told (409) when the ticket changed since.",
    }),
    expectedResponse: ExpectedResponse.optional().openapi({
      description: "While the ticket is open: when the customer can expect an answer.",
    }),
  })
  .openapi("Ticket");
export type TicketView = z.infer<typeof TicketView>;

export const UploadView = z
  .object({
    id: z.string(),
    name: z.string().openapi({ description: "The cleaned display name." }),
    size: z.number().int().openapi({ description: "Bytes." }),
    type: z
      .string()
      .openapi({ description: "Content type decided by the server from the checked content.", example: "image/png" }),
  })
  .openapi("Upload");
export type UploadView = z.infer<typeof UploadView>;

export const AttachmentView = UploadView.extend({
  url: z.string().openapi({ description: "Signed download link, valid for at least an hour; needs no Authorization." }),
  thumbnailUrl: z.string().nullable().openapi({
    description:
      "Signed link to the file's thumbnail (a small WebP, JPEG or PNG made when it was uploaded from the widget, at most 16 KB), shown inline; null when it has none (not an image, or it came by mail): show its extension instead. Never the original.",
  }),
}).openapi("Attachment");
export type AttachmentView = z.infer<typeof AttachmentView>;

export const MessageView = z
  .object({
    id: z.string(),
    author: z.object({ kind: z.enum(["customer", "agent", "system"]), name: z.string() }),
    body: z.string(),
    internal: z.boolean(),
    source: z.enum(["web", "email", "system"]),
    createdAt: Iso,
    feedback: z
      .object({
        helpful: z.number().int().optional(),
        notHelpful: z.number().int().optional(),
        myVote: z.boolean().nullable().optional(),
      })
      .optional()
      .openapi({
        description: "On staff replies: the counts for staff, the customer's own vote (`myVote`) for the customer.",
      }),
    attachments: z.array(AttachmentView),
    warning: z.enum(["password"]).optional().openapi({
      description: "Staff only: the text looks like it holds a password (it came by mail, where it should not).",
    }),
    originalUrl: z.string().optional().openapi({
      description: "Staff only, for a message that came by mail: where its original is (GET, with credentials).",
    }),
  })
  .openapi("Message");
export type MessageView = z.infer<typeof MessageView>;

export const HistoryView = z
  .object({
    id: z.string(),
    field: z.enum(["status", "priority", "department", "assignee"]),
    from: z.string().nullable(),
    to: z.string().nullable(),
    actor: z.object({ kind: z.enum(["customer", "agent", "system"]), name: z.string() }),
    reason: z.string(),
    createdAt: Iso,
  })
  .openapi("HistoryEntry");
export type HistoryView = z.infer<typeof HistoryView>;

/** The other end of a ticket's escalation, as staff see it (tickets/escalation.ts). */
export const EscalationView = z
  .object({
    direction: z.enum(["to_provider", "from_reseller"]).openapi({
      description:
        "`to_provider`: this reseller ticket was escalated to the provider's `number`; `from_reseller`: this provider ticket came from the reseller's `number`.",
    }),
    tenantName: z.string(),
    number: z.number().int(),
    status: Status,
  })
  .openapi("Escalation");
export type EscalationView = z.infer<typeof EscalationView>;

export const StatusReasonView = z
  .object({
    kind: z.enum([
      "on_hold",
      "escalated",
      "closed_by_customer",
      "resolved_by_customer",
      "closed_by_staff",
      "closed_automatically",
    ]),
    note: z.string().nullable().openapi({
      description:
        "Staff's own words for putting the ticket on hold or closing it (from the history); null when they gave none.",
    }),
    at: Iso.openapi({ description: "When the ticket entered its status." }),
  })
  .openapi("StatusReason", {
    description:
      "Why the ticket is `on_hold` (`on_hold` with staff's reason, or `escalated` to the parent provider) or how it was `closed`: by the customer, `resolved_by_customer` (their \"Solved?\" answer), by staff, or automatically after the tenant's auto-close hours without a reply. A customer re-opens a closed ticket by replying or with `PATCH` `status: open`.",
  });
export type StatusReasonView = z.infer<typeof StatusReasonView>;

export const TicketDetail = TicketView.extend({
  messages: z.array(MessageView),
  history: z.array(HistoryView),
  statusReason: StatusReasonView.nullable().openapi({
    description: "For an `on_hold` or `closed` ticket: why, from its history; null for the other statuses.",
  }),
  closesAt: Iso.nullable().openapi({
    description:
      "For an `answered` ticket, from 24 hours before it would close by itself (the tenant's `autoCloseHours` after the answer, when its closing-soon notice is mailed): when it closes unless the customer replies. Null otherwise.",
  }),
  escalation: EscalationView.nullable().optional().openapi({
    description: "Staff only: the linked ticket of an escalation, or null. Customers never get this field.",
  }),
  escalateTo: z.object({ name: z.string() }).nullable().optional().openapi({
    description:
      "Staff only: for a reseller's ticket that is not escalated or closed, the provider `POST /tickets/{id}/escalate` sends it to; otherwise null. Customers never get this field.",
  }),
}).openapi("TicketDetail");
export type TicketDetail = z.infer<typeof TicketDetail>;

// Response bodies, as the routes declare them; tests and clients import their types.

export const CreateTicketResponse = z.object({
  ticket: TicketView,
  accessKey: z.string().optional(),
});
export type CreateTicketResponse = z.infer<typeof CreateTicketResponse>;

export const TicketListResponse = z.object({
  tickets: z.array(TicketView),
  nextCursor: z.string().nullable(),
});
export type TicketListResponse = z.infer<typeof TicketListResponse>;

export const TicketResponse = z.object({ ticket: TicketView });
export type TicketResponse = z.infer<typeof TicketResponse>;

export const TicketDetailResponse = z.object({ ticket: TicketDetail });
export type TicketDetailResponse = z.infer<typeof TicketDetailResponse>;

export const ReplyResponse = z.object({ message: MessageView, ticket: TicketView });
export type ReplyResponse = z.infer<typeof ReplyResponse>;

export const FeedbackResponse = z.object({ feedback: z.object({ myVote: z.boolean() }) });
export type FeedbackResponse = z.infer<typeof FeedbackResponse>;

export const RevealResponse = z.object({
  sensitive: z.string(),
  expiresAt: Iso.openapi({ description: "When the console hides the value again (60 seconds from now)." }),
});
export type RevealResponse = z.infer<typeof RevealResponse>;

export const UploadResponse = z.object({ upload: UploadView });
export type UploadResponse = z.infer<typeof UploadResponse>;

export const ThumbnailResponse = z.object({
  thumbnail: z.object({
    type: z.enum(["image/webp", "image/jpeg", "image/png"]).openapi({ description: "Decided from the bytes." }),
    size: z.number().int().openapi({ description: "Bytes." }),
    width: z.number().int().openapi({ description: "Pixels, read from the image's header." }),
    height: z.number().int(),
  }),
});
