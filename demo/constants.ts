/**
 * Local-only demo credentials. They exist so `npm start` works with no set-up; a deployed
 * Worker never has them (it runs worker/index.ts, which knows nothing of the demo).
 */
export const DEMO_ADMIN_SECRET = "local-demo-admin-secret-not-for-production";
export const DEMO_SECRETS_KEY = "local-demo-secrets-key-not-for-production";
/**
 * Each demo tenant's own embed secret, under its own key id: the reseller's secret must never sign
 * a token the provider accepts.
 */
export const DEMO_EMBED_KEYS = {
  demo: { kid: "northwind-1", secret: "local-demo-embed-secret-northwind-not-for-production-0123" },
  "demo-reseller": { kid: "bluebird-1", secret: "local-demo-embed-secret-bluebird-not-for-production-4567" },
} as const satisfies Record<string, { kid: string; secret: string }>;
export type DemoTenant = keyof typeof DEMO_EMBED_KEYS;

/** The key id both demo tenants once shared one secret under; the seed revokes it where it is left. */
export const SHARED_DEMO_KID = "demo-1";
export const DEMO_WEBHOOK_SECRET = "local-demo-webhook-secret-not-for-production";

export interface DemoUser {
  key: string;
  tenant: DemoTenant;
  sub: string;
  name: string;
  email: string;
  role: "customer" | "agent" | "admin";
  label: string;
  services: { id: string; label: string; host?: string }[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    key: "alice",
    tenant: "demo",
    sub: "cust-1001",
    name: "Alice Moreno",
    email: "alice@example.com",
    role: "customer",
    label: "Alice — customer of Northwind Hosting",
    services: [
      { id: "svc-web-1", label: "Business Web Hosting — example.com", host: "example.com" },
      { id: "svc-vps-7", label: "VPS 4 GB — vps7.northwind.example", host: "203.0.113.17" },
    ],
  },
  {
    key: "carol",
    tenant: "demo-reseller",
    sub: "cust-2001",
    name: "Carol Okafor",
    email: "carol@example.net",
    role: "customer",
    label: "Carol — customer of Bluebird Web (reseller)",
    services: [{ id: "svc-bb-3", label: "Starter Hosting — carolsbakery.example", host: "carolsbakery.example" }],
  },
  {
    key: "bob",
    tenant: "demo",
    sub: "agent-7",
    name: "Bob Lindqvist",
    email: "bob@northwind.example",
    role: "agent",
    label: "Bob — Northwind Hosting support agent",
    services: [],
  },
  {
    key: "dana",
    tenant: "demo-reseller",
    sub: "agent-21",
    name: "Dana Whitfield",
    email: "dana@bluebird.example",
    role: "agent",
    label: "Dana — Bluebird Web support agent",
    services: [],
  },
  {
    key: "erin",
    tenant: "demo",
    sub: "admin-3",
    name: "Erin Castillo",
    email: "erin@northwind.example",
    role: "admin",
    label: "Erin — Northwind Hosting admin",
    services: [],
  },
  {
    key: "frank",
    tenant: "demo-reseller",
    sub: "admin-31",
    name: "Frank Osei",
    email: "frank@bluebird.example",
    role: "admin",
    label: "Frank — Bluebird Web admin",
    services: [],
  },
];

/** The demo's staff: agents and admins, who work in the admin panel's console. */
export const DEMO_STAFF = DEMO_USERS.filter(
  (u): u is DemoUser & { role: "agent" | "admin" } => u.role === "agent" || u.role === "admin",
);

/**
 * The status notice the seed sets on the reseller's desk at every start (Carol sees it at the top
 * of her widget and on the form), showing from then for three days. Not on `demo`: the browser
 * tests share that desk's widget.
 */
export const DEMO_STATUS_NOTICE = {
  text: "Mail servers are being upgraded tonight: mail may arrive a few minutes late. No need to file a ticket.",
  severity: "maintenance",
  affects: ["mail.bluebird.example"],
} as const;
