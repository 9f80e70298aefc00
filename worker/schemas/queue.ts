import { z } from "@hono/zod-openapi";
import { QUEUE_VIEWS } from "../../shared/queue-views";
import { TenantParam } from "./params";
import { type Priority, TicketView } from "./ticket";

const Iso = z.string().openapi({ format: "date-time" });

// ── Staff directory ──────────────────────────────────────────────────────────────────────────

export const AgentView = z
  .object({
    id: z.string().openapi({ description: "The token's `sub`: what a ticket's `assignee` holds." }),
    name: z.string(),
    email: z.string(),
    role: z.enum(["agent", "admin"]),
    lastSeenAt: Iso,
    active: z
      .boolean()
      .openapi({ description: "False once an admin deactivated them: not assignable, 403 everywhere." }),
  })
  .openapi("Agent");
export type AgentView = z.infer<typeof AgentView>;

export const AgentListResponse = z.object({ agents: z.array(AgentView) }).openapi("AgentListResponse");
export const AgentResponse = z.object({ agent: AgentView }).openapi("AgentResponse");

export const PatchAgentBody = z
  .object({ active: z.boolean().openapi({ description: "false deactivates, true reactivates." }) })
  .strict()
  .openapi("PatchAgentBody");

export const AgentPath = z.object({
  tenant: TenantParam,
  id: z
    .string()
    .max(200)
    .openapi({ param: { name: "id", in: "path" }, description: "The agent's id (their token's `sub`)." }),
});

// ── Queue ────────────────────────────────────────────────────────────────────────────────────

/** Hours within which staff aim to answer a waiting customer, per priority (the queue's deadline, docs/console.md). */
export const DEFAULT_RESPONSE_TARGETS: Record<Priority, number> = {
  information: 48,
  low: 24,
  medium: 8,
  high: 4,
  urgent: 1,
};
const targetHours = z
  .number()
  .int()
  .min(1)
  .max(24 * 30);
export const ResponseTargets = z
  .object({
    information: targetHours.default(DEFAULT_RESPONSE_TARGETS.information),
    low: targetHours.default(DEFAULT_RESPONSE_TARGETS.low),
    medium: targetHours.default(DEFAULT_RESPONSE_TARGETS.medium),
    high: targetHours.default(DEFAULT_RESPONSE_TARGETS.high),
    urgent: targetHours.default(DEFAULT_RESPONSE_TARGETS.urgent),
  })
  .strict()
  .openapi("ResponseTargets", {
    description:
      "Hours, per priority, within which staff aim to answer a waiting customer during support hours; after hours the wait starts at the next opening (emergencies that page: 1 hour). The console's expected-response deadline.",
  });

export { QUEUE_VIEWS };
export const QueueViewName = z.enum(QUEUE_VIEWS).openapi("QueueView", {
  description:
    "`mine`/`unassigned`: not closed, assigned to the caller / to nobody; `open`: open or in progress; `waiting`: answered (waiting on the customer); `on_hold`; `emergencies`: the tenant's emergency priorities, not closed; `alerts`: an after-hours alert pending, delivered, or acknowledged on a ticket not closed; `closing_soon`: answered, auto-closing within 24 h; `all`.",
});
export type QueueViewName = z.infer<typeof QueueViewName>;

export const QueueQuery = z.object({
  view: QueueViewName.default("open"),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "A ticket number, or words of the subject, requester name or requester email." }),
  sort: z.enum(["waiting", "activity"]).default("activity").openapi({
    description:
      "`waiting`: the oldest customer message without a staff answer first, tickets not waiting after them (newest activity first); `activity`: newest activity first. `closing_soon` is always listed closing first (the earliest `answeredAt` first), whatever the sort.",
  }),
  requester: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "A requester's id (`requester.id` of a ticket): that customer's tickets." }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(300).optional().openapi({ description: "`nextCursor` of the previous page." }),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const QueueRow = TicketView.extend({
  waitingSince: Iso.nullable().openapi({
    description: "When the oldest customer message without a staff answer arrived; null when none waits.",
  }),
  respondBy: Iso.nullable().openapi({
    description: "The expected-response deadline of that wait (docs/console.md, Queue); null when none waits.",
  }),
  assigneeName: z.string().nullable().openapi({ description: "The assignee's name in the staff directory." }),
  serviceHost: z
    .string()
    .nullable()
    .openapi({ description: "The service's label, else the ticket's host field, else null." }),
}).openapi("QueueRow");
export type QueueRow = z.infer<typeof QueueRow>;

export const QueueResponse = z
  .object({ tickets: z.array(QueueRow), nextCursor: z.string().nullable() })
  .openapi("QueueResponse");

const count = z.number().int().min(0).openapi({ description: "The view's tickets, up to `cap`." });
export const QueueCountsResponse = z
  .object({
    counts: z.object({
      mine: count,
      unassigned: count,
      open: count,
      waiting: count,
      on_hold: count,
      emergencies: count,
      alerts: count,
      closing_soon: count,
      all: count,
    }),
    cap: z.number().int().min(1).openapi({
      description:
        "Where the counts stop: a count equal to `cap` means `cap` or more tickets (the console shows `999+` for a cap of 1000); a smaller count is exact.",
      example: 1000,
    }),
  })
  .openapi("QueueCountsResponse");
export type QueueCounts = z.infer<typeof QueueCountsResponse>["counts"];
