import { writeChange } from "../worker/db/write";
import { DEMO_STAFF, type DemoTenant } from "./constants";

/**
 * The console's starting point for the demo: the staff directory and each tenant's canned replies.
 * Staff are normally added on their first signed request; the demo adds them up front so that the
 * assignee picker lists every colleague before anyone signs in. Demo-only SQL (like the outbox
 * page's): the product writes these tables through worker/db/. Safe to run on every start: rows
 * that exist are left as they are (an admin may have edited a canned reply or deactivated someone).
 */

interface CannedSeed {
  id: string;
  title: string;
  body: string;
}

const CANNED: Record<DemoTenant, CannedSeed[]> = {
  demo: [
    {
      id: "demo-canned-greeting",
      title: "Greeting",
      body: "Hello {{customer.name}},\n\nThank you for contacting {{tenant.name}}. ",
    },
    {
      id: "demo-canned-remote",
      title: "Enable Remote Assistance",
      body: "Hello {{customer.name}},\n\nTo look into ticket #{{ticket.number}} we need Remote Assistance switched on: Control Panel → Security → Remote Assistance → Enable. Reply here once it is on and we'll continue.\n\n{{agent.name}}\n{{tenant.name}} support",
    },
    {
      id: "demo-canned-cache",
      title: "Clear the site cache",
      body: "Hello {{customer.name}},\n\nThis usually comes from a stale cache. Please clear it in Websites → Cache → Purge all, then reload the page with Ctrl+F5. If the error stays, reply with the exact time you tried.\n\n{{agent.name}}",
    },
    {
      id: "demo-canned-resolved",
      title: "Resolved — anything else?",
      body: "Hello {{customer.name}},\n\nThe issue in ticket #{{ticket.number}} is resolved on our side. If everything works for you, there is nothing else to do: the ticket closes by itself.\n\nBest regards,\n{{agent.name}}, {{tenant.name}}",
    },
  ],
  "demo-reseller": [
    {
      id: "bluebird-canned-greeting",
      title: "Greeting",
      body: "Hi {{customer.name}},\n\nThanks for getting in touch with {{tenant.name}}! ",
    },
    {
      id: "bluebird-canned-escalated",
      title: "Passed to our data centre",
      body: "Hi {{customer.name}},\n\nWe've passed ticket #{{ticket.number}} to our data-centre team and will update you as soon as we hear back.\n\n{{agent.name}}, {{tenant.name}}",
    },
    {
      id: "bluebird-canned-webmail",
      title: "Webmail login",
      body: "Hi {{customer.name}},\n\nPlease sign out of webmail, clear your browser's cookies for the webmail address and sign in again. If it still says 'invalid credentials', reset the mailbox password in your control panel.\n\n{{agent.name}}",
    },
  ],
};

/** Adds the demo's agents and admins and its canned replies where they are missing. */
export async function seedStaff(db: D1Database, now: number): Promise<{ agents: number; cannedReplies: number }> {
  const agents = DEMO_STAFF.map((u) =>
    db
      .prepare(
        `INSERT INTO agents (tenant_id, id, name, email, role, first_seen_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (tenant_id, id) DO NOTHING`,
      )
      .bind(u.tenant, u.sub, u.name, u.email, u.role, now),
  );
  const admins = (tenant: DemoTenant) => DEMO_STAFF.find((u) => u.tenant === tenant && u.role === "admin")?.sub ?? "";
  const canned = (Object.entries(CANNED) as [DemoTenant, CannedSeed[]][]).flatMap(([tenant, replies]) =>
    replies.map((r) =>
      db
        .prepare(
          `INSERT INTO canned_replies (id, tenant_id, title, body, created_by, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
           ON CONFLICT DO NOTHING`,
        )
        .bind(r.id, tenant, r.title, r.body, admins(tenant), now),
    ),
  );
  const { results } = await writeChange(db, [...agents, ...canned]);
  const added = (from: number, to: number) => results.slice(from, to).reduce((n, r) => n + (r.meta.changes ?? 0), 0);
  return { agents: added(0, agents.length), cannedReplies: added(agents.length, results.length) };
}
