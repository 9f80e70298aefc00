import { z } from "@hono/zod-openapi";
import { DEFAULT_HOLIDAYS, DEFAULT_HOURS, DEFAULT_TIME_ZONE } from "../hours/calendar";
import { HolidayRule, TimeZone, WeeklyHours } from "./calendar";
import { RateLimits } from "./limits";
import { DEFAULT_RESPONSE_TARGETS, ResponseTargets } from "./queue";
import type { StoredStatusNotice } from "./status-notice";
import { clientRecord, multiLine, singleLine } from "./text";
import { PRIORITIES, Priority } from "./ticket";

/**
 * The API's own words where a tenant id goes (`/api/v1/admin/…`, `/api/v1/docs`,
 * `/api/v1/openapi.json`; see app.ts): no tenant may take them, and the tenant middleware skips them.
 */
export const RESERVED_TENANT_IDS: ReadonlySet<string> = new Set(["admin", "openapi.json", "docs"]);

export const TenantId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "lower-case letters, digits and dashes, 1 to 48 characters")
  .refine((id) => !RESERVED_TENANT_IDS.has(id), { message: "this id is reserved" })
  .openapi({ description: "A URL slug; `admin` and `docs` are taken by the API itself." });

export const Slug = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "lower-case slug, 1 to 40 characters");

const label = singleLine(1, 120);
const help = multiLine(0, 600);
const guidanceItem = singleLine(1, 400);

export const FieldDefinition = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("text"),
      id: Slug,
      label,
      help: help.optional(),
      required: z.boolean().default(false),
      maxLength: z.number().int().min(1).max(2000).default(200),
    }),
    z
      .object({
        kind: z.literal("host"),
        id: Slug,
        label,
        help: help.optional(),
        required: z.boolean().default(false),
      })
      .openapi({ description: "An IP address (v4 or v6) or a DNS hostname, e.g. the server the ticket is about." }),
    z
      .object({
        kind: z.literal("yesno"),
        id: Slug,
        label,
        help: help.optional(),
        required: z.boolean().default(false),
        mustBeYes: z.boolean().default(false).openapi({ description: 'Makes "yes" the only acceptable answer.' }),
        mustBeYesReason: help
          .optional()
          .openapi({ description: "Why it must be yes, shown to the customer who answers no." }),
      })
      .openapi({ description: "A yes/no question." }),
    z.object({
      kind: z.literal("select"),
      id: Slug,
      label,
      help: help.optional(),
      required: z.boolean().default(false),
      options: z
        .array(z.object({ value: Slug, label }))
        .min(1)
        .max(50),
    }),
  ])
  .openapi("FieldDefinition", { description: "An extra field a department asks for." });
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const Department = z
  .object({
    id: Slug,
    name: label,
    description: help.default(""),
    fields: z.array(FieldDefinition).max(20).default([]),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.fields.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: "custom", path: ["fields", i, "id"], message: "duplicate field id" });
      seen.add(f.id);
    });
  })
  .openapi("Department");
export type Department = z.infer<typeof Department>;

export const ATTACHMENT_EXTENSIONS = [".jpg", ".jpeg", ".png", ".pdf", ".txt", ".log", ".zip"] as const;
export type AttachmentExtension = (typeof ATTACHMENT_EXTENSIONS)[number];

export const AttachmentRules = z
  .object({
    allowedExtensions: z
      .array(z.enum(ATTACHMENT_EXTENSIONS))
      .min(1)
      .default([...ATTACHMENT_EXTENSIONS]),
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    maxFilesPerMessage: z.number().int().min(0).max(20).default(5),
  })
  .openapi("AttachmentRules");

const origin = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === s;
    } catch {
      return false;
    }
  },
  { message: "an exact origin such as https://panel.example.com (scheme, host, optional port; no path)" },
);

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #1f6feb");

const httpsUrl = z
  .string()
  .url()
  .max(500)
  .refine((s) => /^https?:\/\//.test(s), { message: "must be an http(s) URL" });

export const DEFAULT_DEPARTMENTS: Department[] = [
  {
    id: "technical",
    name: "Technical Support",
    description: "Server errors, VPS issues, control-panel troubleshooting.",
    fields: [
      {
        kind: "host",
        id: "host",
        label: "IP address or hostname",
        help: "The server or site the problem is on, e.g. 203.0.113.10 or example.com.",
        required: true,
      },
      {
        kind: "yesno",
        id: "remote_assistance",
        label: "Remote Assistance enabled?",
        help: "Turn on Remote Assistance in your panel before filing.",
        required: true,
        mustBeYes: true,
        mustBeYesReason:
          "With Remote Assistance on, our staff can reach your server without you sending the root password.",
      },
    ],
  },
  {
    id: "billing",
    name: "Billing/Sales",
    description: "Invoices, payments, upgrades.",
    fields: [],
  },
  {
    id: "abuse",
    name: "Abuse",
    description: "Security incidents, DMCA notices.",
    fields: [],
  },
];

export const DEFAULT_GUIDANCE = {
  message: [
    "Steps to reproduce the problem",
    "Exact error messages (copy them, or attach a screenshot)",
    "Environment: PHP version, operating system",
    "Recent changes: plugin updates, DNS changes, .htaccess edits",
    "What you have already tried",
  ],
  qualifies: [
    "The control panel and its packages: sites, backups, imports and migrations, FTP, DNS, mail, web server, SSL, webmail, clustering",
  ],
  doesNotQualify: [
    "Third-party software and plugins",
    "System administration and server hardening",
    "Malware scanning, PCI scans and spam clean-up",
    "Database crashes at system level",
    "DDoS attacks and disk failures",
    "Website code",
  ],
  emergencies: [
    "Services down: email not processing, websites down, the panel unreachable or not starting",
    "Service interruption: maintenance mode, failed upgrade steps, package-manager failures, stuck command queues on cluster nodes",
  ],
};

export const Guidance = z
  .object({
    message: z.array(label).max(20).default(DEFAULT_GUIDANCE.message),
    qualifies: z.array(guidanceItem).max(40).default(DEFAULT_GUIDANCE.qualifies),
    doesNotQualify: z.array(guidanceItem).max(40).default(DEFAULT_GUIDANCE.doesNotQualify),
    emergencies: z.array(guidanceItem).max(40).default(DEFAULT_GUIDANCE.emergencies),
  })
  .openapi("Guidance");

export const AlertContact = z
  .discriminatedUnion("channel", [
    z
      .object({ channel: z.literal("webhook"), name: label, url: httpsUrl })
      .openapi({ description: "A signed JSON webhook: how SMS/voice gateways and paging services are plugged in." }),
    z.object({ channel: z.literal("email"), name: label, email: z.email().max(254) }),
  ])
  .openapi("AlertContact", { description: "Someone on call." });
export type AlertContact = z.infer<typeof AlertContact>;

export const EmergencyPolicy = z
  .object({
    priorities: z
      .array(Priority)
      .default(["high", "urgent"])
      .openapi({ description: "Priorities that page the on-call team outside support hours." }),
    ackWindowMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60)
      .openapi({ description: "Minutes to wait for an acknowledgement before paging the next contact." }),
    contacts: z
      .array(AlertContact)
      .max(10)
      .default([])
      .openapi({ description: "Paged in this order: the next one when nobody acknowledges within the window." }),
    guestsCanPage: z.boolean().default(false).openapi({
      description:
        "Guests' tickets page too. Off: a guest's emergency ticket is filed at its priority and answered when support opens.",
    }),
    pagingRequiresService: z.boolean().default(false).openapi({
      description: "Only a signed-in customer's ticket about one of their services pages the on-call team.",
    }),
    replyPageCooldownMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(240)
      .openapi({
        description:
          "A customer's reply pages again only when no alert for the ticket is open and the last page is older than this.",
      }),
    webhookSecret: z.string().min(32, "must be at least 32 characters").max(256).optional().openapi({
      description:
        "Signs webhook deliveries (HMAC-SHA256) so receivers can verify them; required with a webhook contact.",
    }),
  })
  .superRefine((p, ctx) => {
    if (p.contacts.some((c) => c.channel === "webhook") && !p.webhookSecret)
      ctx.addIssue({ code: "custom", path: ["webhookSecret"], message: "is required when a contact is a webhook" });
  })
  .openapi("EmergencyPolicy");

const domainName = z
  .string()
  .max(253)
  .regex(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, "must be a domain name")
  .transform((d) => d.toLowerCase());

export const EmailSettings = z
  .object({
    fromAddress: z.email().max(254).optional().openapi({
      description: "The From of notifications, e.g. support@northwind.example (its domain must be set up to send).",
    }),
    fromName: label
      .optional()
      .openapi({ description: "Display name of the From; defaults to the product name, else the tenant's name." }),
    replyDomain: domainName.optional().openapi({
      description:
        "Domain routed to this Worker by Email Routing, for reply addresses; defaults to fromAddress's domain.",
    }),
    newTicketsByEmail: z
      .boolean()
      .default(false)
      .openapi({ description: "Mail to the reply domain that names no ticket opens a new one (from anyone)." }),
    departmentsByAddress: clientRecord(
      z.string().regex(/^[a-z0-9._-]{1,64}$/, "must be a lower-case local part"),
      z.string().min(1).max(40),
    )
      .default({})
      .openapi({
        description:
          "Which department a new ticket by mail goes to, by the local part it was sent to, e.g. `billing` → `billing`.",
      }),
  })
  .openapi("EmailSettings", {
    description: "How the tenant's mail looks and where replies come in. No `fromAddress`, no mail.",
  });
export type EmailSettings = z.infer<typeof EmailSettings>;

export const TenantConfig = z
  .object({
    branding: z
      .object({
        productName: label.optional(),
        logoUrl: httpsUrl.optional(),
        accentColor: hexColour.default("#1f6feb"),
      })
      .default({ accentColor: "#1f6feb" }),
    allowedOrigins: z.array(origin).max(50).default([]).openapi({
      description:
        "Exact origins of the panels that embed the widget (e.g. https://panel.example.com); CORS answers only these.",
    }),
    timeZone: TimeZone.default(DEFAULT_TIME_ZONE).openapi({
      description: "The IANA time zone of the support hours and holidays.",
    }),
    hours: WeeklyHours.default(DEFAULT_HOURS),
    holidays: z.array(HolidayRule).max(50).default(DEFAULT_HOLIDAYS),
    emergency: EmergencyPolicy.default({
      priorities: ["high", "urgent"],
      ackWindowMinutes: 60,
      contacts: [],
      guestsCanPage: false,
      pagingRequiresService: false,
      replyPageCooldownMinutes: 240,
    }),
    autoCloseHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72)
      .openapi({
        description: "Hours after a staff answer without a customer reply before the ticket closes by itself.",
      }),
    responseTargetHours: ResponseTargets.default(DEFAULT_RESPONSE_TARGETS),
    departments: z
      .array(Department)
      .min(1)
      .max(30)
      .default(DEFAULT_DEPARTMENTS)
      .superRefine((ds, ctx) => {
        const seen = new Set<string>();
        ds.forEach((d, i) => {
          if (seen.has(d.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: "duplicate department id" });
          seen.add(d.id);
        });
      }),
    guidance: Guidance.default(DEFAULT_GUIDANCE),
    guestsAllowed: z.boolean().default(false).openapi({
      description: "People without a panel account may file (with name and email), each getting a key to their ticket.",
    }),
    attachments: AttachmentRules.default({
      allowedExtensions: [...ATTACHMENT_EXTENSIONS],
      maxFileBytes: 10 * 1024 * 1024,
      maxFilesPerMessage: 5,
    }),
    email: EmailSettings.default({ newTicketsByEmail: false, departmentsByAddress: {} }),
    limits: RateLimits.default(() => RateLimits.parse({})).openapi({
      description: "Rate limits per person, per client IP and per mail sender; 429 with Retry-After beyond them.",
    }),
  })
  .strict()
  .openapi("TenantConfig", {
    description: "Everything a provider configures for a tenant. Absent parts take the defaults.",
  });
export type TenantConfig = z.infer<typeof TenantConfig>;

/** Body of `PUT /api/v1/admin/tenants/{id}`. */
export const TenantInput = z
  .object({
    name: label,
    parentId: TenantId.nullable()
      .default(null)
      .openapi({ description: "For a reseller: the provider it belongs to. null for a provider." }),
    config: TenantConfig.default(() => TenantConfig.parse({})),
  })
  .strict()
  .openapi("TenantInput");
export type TenantInput = z.infer<typeof TenantInput>;

export interface Tenant {
  id: string;
  parentId: string | null;
  name: string;
  config: TenantConfig;
  /**
   * The maintenance / incident notice as set, whatever its window (settings/status-notice.ts);
   * null or absent: none (a tenant built by hand, as in tests, has none).
   */
  statusNotice?: StoredStatusNotice | null;
  createdAt: number;
  updatedAt: number;
}

export const PRIORITY_MEANINGS: Record<Priority, string> = {
  information: "No immediate action required.",
  low: "No rush.",
  medium: "The issue is causing a disruption.",
  high: "Angry end users or another serious issue.",
  urgent: "Emergency: services are down.",
};
export { PRIORITIES };
