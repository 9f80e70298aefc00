/**
 * `npm run admin -- webhooks …`: a tenant's event webhooks through the admin API (docs/webhooks.md).
 *   webhooks add TENANT URL --events ticket.created,ticket.replied [--internal-notes] [--description TEXT]
 *   webhooks list TENANT
 *   webhooks rotate TENANT ENDPOINT [--grace-minutes N]     (prints the new secret once)
 *   webhooks test TENANT ENDPOINT                           (sends a webhook.test event now)
 *   webhooks remove TENANT ENDPOINT
 *   webhooks deliveries TENANT [--endpoint ENDPOINT] [--status pending|delivered|failed] [--limit N]
 */

export const WEBHOOKS_USAGE = `       npm run admin -- webhooks add TENANT URL --events EVENT,EVENT [--internal-notes] [--description TEXT]
       npm run admin -- webhooks list TENANT
       npm run admin -- webhooks rotate TENANT ENDPOINT [--grace-minutes N]
       npm run admin -- webhooks test TENANT ENDPOINT
       npm run admin -- webhooks remove TENANT ENDPOINT
       npm run admin -- webhooks deliveries TENANT [--endpoint ENDPOINT] [--status pending|delivered|failed] [--limit N]`;

/** The options the webhooks commands take, for the admin script's parser. */
export const WEBHOOKS_OPTIONS = {
  events: { type: "string" },
  "internal-notes": { type: "boolean" },
  description: { type: "string" },
  "grace-minutes": { type: "string" },
  endpoint: { type: "string" },
  status: { type: "string" },
  limit: { type: "string" },
} as const;

export interface WebhookArgs {
  events?: string | undefined;
  "internal-notes"?: boolean | undefined;
  description?: string | undefined;
  "grace-minutes"?: string | undefined;
  endpoint?: string | undefined;
  status?: string | undefined;
  limit?: string | undefined;
}

/** Calls the admin API under `/api/v1/admin/tenants/{tenant}`; exits non-zero on an error answer. */
export type AdminCall = (method: string, path: string, body?: unknown) => Promise<void>;

function fail(message: string): never {
  console.error(`${message}\n\nusage:\n${WEBHOOKS_USAGE}`);
  process.exit(2);
}

/** Runs `webhooks SUBCOMMAND TENANT [ENDPOINT]` (for `add`, the endpoint's URL) with its options. */
export async function webhooksCommand(
  sub: string | undefined,
  endpoint: string | undefined,
  values: WebhookArgs,
  call: AdminCall,
): Promise<void> {
  const one = () => encodeURIComponent(endpoint ?? fail(`webhooks ${sub} needs an endpoint id`));
  switch (sub) {
    case "add": {
      if (!endpoint || !values.events) fail("webhooks add needs the endpoint's URL and --events");
      return call("POST", "/webhooks", {
        url: endpoint,
        events: values.events.split(",").map((e) => e.trim()),
        includeInternalNotes: values["internal-notes"] === true,
        ...(values.description !== undefined && { description: values.description }),
      });
    }
    case "list":
      return call("GET", "/webhooks");
    case "rotate": {
      const grace = values["grace-minutes"];
      return call("POST", `/webhooks/${one()}/rotate`, grace === undefined ? {} : { graceMinutes: Number(grace) });
    }
    case "test":
      return call("POST", `/webhooks/${one()}/test`);
    case "remove":
      return call("DELETE", `/webhooks/${one()}`);
    case "deliveries": {
      const query = new URLSearchParams();
      if (values.endpoint) query.set("endpoint", values.endpoint);
      if (values.status) query.set("status", values.status);
      if (values.limit) query.set("limit", values.limit);
      return call("GET", `/webhooks/deliveries${query.size ? `?${query}` : ""}`);
    }
    default:
      fail(`unknown webhooks command ${sub ?? "(none)"}`);
  }
}
