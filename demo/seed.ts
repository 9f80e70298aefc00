import { signEmbedToken } from "../worker/auth/token";
import {
  DEMO_ADMIN_SECRET,
  DEMO_EMBED_KEYS,
  DEMO_STATUS_NOTICE,
  DEMO_USERS,
  DEMO_WEBHOOK_SECRET,
  type DemoUser,
  SHARED_DEMO_KID,
} from "./constants";
import { DEMO_FILES, type DemoFile } from "./files";

/**
 * Seeds the demo through the public API, as a provider and its customers would: a provider
 * tenant `demo`, a reseller `demo-reseller` under it with its own brand, and tickets in every
 * status, plus what the agent console needs (its staff, canned replies, unassigned emergencies, a
 * ticket closing soon, one with a secret, a reseller ticket to escalate). Safe to run on every
 * start: tenants are upserted, staff and canned replies added where missing, tickets seeded once.
 */
export async function seedDemo(baseUrl: string): Promise<{ seeded: boolean }> {
  const call = async (method: string, path: string, init: { token?: string; admin?: boolean; body?: unknown } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (init.admin) headers.authorization = `Bearer ${DEMO_ADMIN_SECRET}`;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const must = async (
    label: string,
    p: Promise<{ status: number; body: Record<string, unknown> }>,
    ok: number[] = [200, 201],
  ) => {
    const r = await p;
    if (!ok.includes(r.status)) throw new Error(`demo seed: ${label} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const origins = [baseUrl, baseUrl.replace("127.0.0.1", "localhost")];

  await must(
    "provider tenant",
    call("PUT", "/api/v1/admin/tenants/demo", {
      admin: true,
      body: {
        name: "Northwind Hosting",
        config: {
          branding: { productName: "Northwind Support", accentColor: "#1f6feb" },
          allowedOrigins: origins,
          guestsAllowed: true,
          // A demo is clicked through quickly, and the browser tests file dozens of tickets as Alice in a
          // minute. Under wrangler dev every caller is 127.0.0.1 (it sets CF-Connecting-IP), so the
          // per-IP limits count all demo users together: raised to match.
          limits: {
            ticketsPerIdentity: "100/min",
            repliesPerIdentity: "100/min",
            uploadsPerIdentity: "100/min",
            ticketsPerIp: "1000/min",
            guestTicketsPerIp: "100/min",
            repliesPerIp: "1000/min",
            uploadsPerIp: "1000/min",
            wrongKeysPerIp: "100/min",
          },
          email: {
            fromAddress: "support@northwind.example",
            newTicketsByEmail: true,
            departmentsByAddress: { support: "technical", billing: "billing", abuse: "abuse" },
          },
          emergency: {
            priorities: ["high", "urgent"],
            ackWindowMinutes: 30,
            webhookSecret: DEMO_WEBHOOK_SECRET,
            contacts: [
              { channel: "webhook", name: "On-call phone (SMS gateway)", url: `${baseUrl}/demo/pager` },
              { channel: "email", name: "Backup on-call", email: "oncall@northwind.example" },
            ],
          },
        },
      },
    }),
  );
  await must(
    "reseller tenant",
    call("PUT", "/api/v1/admin/tenants/demo-reseller", {
      admin: true,
      body: {
        name: "Bluebird Web",
        parentId: "demo",
        config: {
          branding: { productName: "Bluebird Help Desk", accentColor: "#c2410c" },
          allowedOrigins: origins,
          email: { fromAddress: "help@bluebird.example", fromName: "Bluebird Help Desk" },
          timeZone: "Europe/London",
          hours: {
            mon: [{ open: "09:00", close: "17:30" }],
            tue: [{ open: "09:00", close: "17:30" }],
            wed: [{ open: "09:00", close: "17:30" }],
            thu: [{ open: "09:00", close: "17:30" }],
            fri: [{ open: "09:00", close: "17:00" }],
          },
          holidays: [
            { kind: "fixed", name: "New Year's Day", month: 1, day: 1 },
            { kind: "last", name: "Spring bank holiday", month: 5, weekday: "mon" },
            { kind: "fixed", name: "Christmas Day", month: 12, day: 25 },
            { kind: "fixed", name: "Boxing Day", month: 12, day: 26 },
          ],
        },
      },
    }),
  );
  for (const [tenant, key] of Object.entries(DEMO_EMBED_KEYS)) {
    await must(
      `${tenant} secret`,
      call("POST", `/api/v1/admin/tenants/${tenant}/secrets`, { admin: true, body: key }),
      [201, 409],
    );
    // A demo state from before each tenant had its own secret: the shared one stops working.
    await must(
      `${tenant} shared secret revoked`,
      call("DELETE", `/api/v1/admin/tenants/${tenant}/secrets/${SHARED_DEMO_KID}`, { admin: true }),
      [204, 404],
    );
  }

  // The console's staff directory and canned replies: added where missing, on every start.
  const staff = await fetch(`${baseUrl}/demo/seed-staff`, { method: "POST" });
  if (!staff.ok) throw new Error(`demo seed: staff answered ${staff.status}: ${await staff.text()}`);

  const now = Math.floor(Date.now() / 1000);
  const tokenOf = (key: string) => {
    const u = DEMO_USERS.find((x) => x.key === key) as DemoUser;
    return signEmbedToken(
      {
        iss: u.tenant,
        aud: "edgedesk",
        sub: u.sub,
        email: u.email,
        name: u.name,
        role: u.role,
        services: u.services,
        iat: now,
        exp: now + 600,
      },
      DEMO_EMBED_KEYS[u.tenant],
    );
  };
  const [alice, bob, carol, dana] = (await Promise.all(["alice", "bob", "carol", "dana"].map(tokenOf))) as [
    string,
    string,
    string,
    string,
  ];

  // A planned maintenance on the reseller's desk, as its admin sets it: renewed at every start, so it shows.
  await must(
    "status notice",
    call("PUT", "/api/v1/demo-reseller/status-notice", {
      token: await tokenOf("frank"),
      body: { ...DEMO_STATUS_NOTICE, endsAt: new Date((now + 3 * 24 * 3600) * 1000).toISOString() },
    }),
  );

  const BOB = (DEMO_USERS.find((u) => u.key === "bob") as DemoUser).sub;
  const DANA = (DEMO_USERS.find((u) => u.key === "dana") as DemoUser).sub;
  const existing = await must("queue", call("GET", "/api/v1/demo/tickets?limit=1", { token: bob }));
  if ((existing.tickets as unknown[]).length > 0) return { seeded: false };

  /** Uploads a demo file as the widget does (raw bytes), returning its id for attachmentIds. */
  const upload = async (tenant: string, token: string, f: DemoFile, ticket?: string) => {
    const params = new URLSearchParams({ name: f.name, ...(ticket && { ticket }) });
    const res = await fetch(`${baseUrl}/api/v1/${tenant}/uploads?${params}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: f.bytes,
    });
    if (res.status !== 201) throw new Error(`demo seed: upload ${f.name} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { upload: { id: string } }).upload.id;
  };
  const file = async (tenant: string, token: string, body: Record<string, unknown>) =>
    (await must(`ticket ${String(body.subject)}`, call("POST", `/api/v1/${tenant}/tickets`, { token, body })))
      .ticket as { id: string };
  const reply = (
    tenant: string,
    token: string,
    id: string,
    text: string,
    internal = false,
    attachmentIds: string[] = [],
  ) =>
    must(
      "reply",
      call("POST", `/api/v1/${tenant}/tickets/${id}/messages`, {
        token,
        body: { body: text, internal, attachmentIds },
      }),
    );
  const patch = (tenant: string, token: string, id: string, body: Record<string, unknown>) =>
    must("patch", call("PATCH", `/api/v1/${tenant}/tickets/${id}`, { token, body }));

  const closedOne = await file("demo", alice, {
    department: "billing",
    subject: "Invoice #2291 charged twice",
    priority: "low",
    message:
      "My card was charged twice for invoice #2291 on the 3rd. Could you refund one of them? The invoice is attached.",
    attachmentIds: [await upload("demo", alice, DEMO_FILES.invoice)],
  });
  await reply(
    "demo",
    bob,
    closedOne.id,
    "Sorry about that, Alice. The duplicate charge is refunded; it shows on your statement within 5 business days.",
  );
  await patch("demo", alice, closedOne.id, { status: "closed", reason: "Refund received" });

  const onHold = await file("demo", alice, {
    department: "technical",
    subject: "DNS not propagating for shop.example.com",
    serviceId: "svc-web-1",
    message:
      "I added an A record for shop.example.com two days ago and it still resolves to the old IP from some networks.\n\nTried: flushing local DNS, checking with dig @8.8.8.8.",
    fields: { host: "shop.example.com", remote_assistance: true },
  });
  await reply(
    "demo",
    bob,
    onHold.id,
    "Upstream resolver at the data centre is caching a stale record; ticket DC-4471 opened with them.",
    true,
  );
  await patch("demo", bob, onHold.id, {
    status: "on_hold",
    assignee: BOB,
    reason: "Escalated to the data centre (DC-4471)",
  });

  const inProgress = await file("demo", alice, {
    department: "billing",
    subject: "Upgrade to the VPS 8 GB plan",
    message: "I'd like to move my VPS to the 8 GB plan this weekend. Will there be downtime?",
    serviceId: "svc-vps-7",
  });
  await patch("demo", bob, inProgress.id, { status: "in_progress", assignee: BOB });

  const answered = await file("demo", alice, {
    department: "technical",
    subject: "500 Error on example.com",
    priority: "high",
    serviceId: "svc-web-1",
    message:
      "Since this morning every page of example.com answers 500 Internal Server Error.\n\nSteps: open https://example.com/\nError: 500 Internal Server Error\nEnvironment: PHP 8.2\nRecent change: updated the caching plugin at 09:10\nTried: clearing the cache from the plugin settings.",
    fields: { host: "example.com", remote_assistance: true },
    attachmentIds: await Promise.all(
      [DEMO_FILES.screenshot, DEMO_FILES.log, DEMO_FILES.steps].map((f) => upload("demo", alice, f)),
    ),
  });
  await reply("demo", alice, answered.id, "Here is the site's nginx configuration, in case it helps.", false, [
    await upload("demo", alice, DEMO_FILES.config, answered.id),
  ]);
  await reply(
    "demo",
    bob,
    answered.id,
    "The caching plugin's update left a broken rule in .htaccess. I restored the previous .htaccess from last night's backup and the site loads again. Could you confirm on your side?",
  );

  await file("demo", alice, {
    department: "technical",
    subject: "Mail queue stuck on vps7",
    priority: "urgent",
    serviceId: "svc-vps-7",
    message:
      "Outgoing mail has been stuck in the queue for an hour; customers are not getting order confirmations. Photo of the rack from our colo visit attached: one unit shows a red light.",
    fields: { host: "203.0.113.17", remote_assistance: true },
    attachmentIds: [await upload("demo", alice, DEMO_FILES.photo)],
  });

  const reseller = await file("demo-reseller", carol, {
    department: "technical",
    subject: "Can't log in to webmail",
    serviceId: "svc-bb-3",
    message: "Webmail says 'invalid credentials' although the same password works in my mail app.",
    fields: { host: "carolsbakery.example", remote_assistance: true },
  });
  await reply(
    "demo-reseller",
    dana,
    reseller.id,
    "We reset the webmail session store; please try again and tell us if it still fails.",
  );
  await file("demo-reseller", carol, {
    department: "billing",
    subject: "Add a second domain to my plan",
    message: "How much is it to add carolscatering.example to my Starter plan?",
    priority: "information",
  });
  // For the console: a second unassigned emergency, a ticket with a secret for Bob, and a reseller
  // ticket Dana has looked into and would escalate to Northwind.
  await file("demo", alice, {
    department: "technical",
    subject: "Checkout on example.com times out (504)",
    priority: "high",
    serviceId: "svc-web-1",
    message:
      "Customers get 504 Gateway Timeout when they pay at https://example.com/checkout since about an hour ago. The rest of the shop loads.",
    fields: { host: "example.com", remote_assistance: true },
  });
  const secret = await file("demo", alice, {
    department: "technical",
    subject: "Move my WordPress site over from my old host",
    serviceId: "svc-web-1",
    message:
      "Please migrate oldshop.example from my previous host to this plan. The login for the old host's panel is in the secret field.",
    fields: { host: "oldshop.example", remote_assistance: true },
    sensitive: "Old host panel: https://cp.oldhost.example — user oldshop, password Tr0ub4dor&3",
  });
  await patch("demo", bob, secret.id, { assignee: BOB });
  const toEscalate = await file("demo-reseller", carol, {
    department: "technical",
    subject: "Mail to Gmail addresses bounces",
    priority: "high",
    serviceId: "svc-bb-3",
    message:
      "Every mail I send to a Gmail address comes back with '550 5.7.1 rejected: IP listed'. Mail to other addresses works.",
    fields: { host: "carolsbakery.example", remote_assistance: true },
  });
  await reply(
    "demo-reseller",
    dana,
    toEscalate.id,
    "The sending IP of the shared mail server is on a blocklist; only Northwind (our provider) can move us to a clean IP. Escalate to them.",
    true,
  );
  await patch("demo-reseller", dana, toEscalate.id, { status: "in_progress", assignee: DANA });

  // Tickets with a past (one about to auto-close, one that paged on-call last weekend) are made
  // by the demo Worker itself, through the same ticket service with earlier timestamps.
  const history = await fetch(`${baseUrl}/demo/seed-history`, { method: "POST" });
  if (!history.ok) throw new Error(`demo seed: history answered ${history.status}: ${await history.text()}`);
  return { seeded: true };
}
