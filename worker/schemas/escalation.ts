import { z } from "@hono/zod-openapi";
import { multiLine } from "./text";
import { EscalationView, Status, TicketView } from "./ticket";

/** Body of `POST /api/v1/{tenant}/tickets/{id}/escalate`. */
export const EscalateBody = z
  .object({
    note: multiLine(1, 5000).openapi({
      description: "What the provider should know; the first message of its ticket.",
    }),
    includeCustomer: z.boolean().default(false).openapi({
      description: "Add the end customer's name and email to the note. Off: the provider sees only the reseller.",
    }),
  })
  .strict()
  .openapi("EscalateBody");
export type EscalateBody = z.infer<typeof EscalateBody>;

export const EscalateResponse = z.object({
  ticket: TicketView.openapi({ description: "The reseller's ticket, now on hold." }),
  escalation: EscalationView.extend({
    tenantId: z.string().openapi({ description: "The provider's tenant." }),
    ticketId: z.string().openapi({ description: "The provider's linked ticket." }),
    status: Status,
  }),
});
export type EscalateResponse = z.infer<typeof EscalateResponse>;
