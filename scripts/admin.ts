/**
 * The provider's admin API from the command line.
 *   npm run admin -- get demo
 *   npm run admin -- put acme --file acme.json        (body: {"name": …, "parentId": …, "config": {…}})
 *   npm run admin -- add-secret acme [--kid k2]       (prints the new secret once)
 *   npm run admin -- revoke-secret acme k1
 *   npm run admin -- webhooks add acme https://crm.example/in --events ticket.created   (and list, rotate,
 *     test, remove, deliveries: scripts/lib/admin-webhooks.ts)
 * --url (or EDGEDESK_URL, default http://127.0.0.1:8787) and --admin-secret (or EDGEDESK_ADMIN_SECRET;
 * the local demo's secret by default).
 */
import { readFile } from "node:fs/promises";
import { DEMO_ADMIN_SECRET } from "../demo/constants";
import { WEBHOOKS_OPTIONS, WEBHOOKS_USAGE, webhooksCommand } from "./lib/admin-webhooks";
import { options } from "./lib/args";

const USAGE = `usage: npm run admin -- get TENANT
       npm run admin -- put TENANT --file BODY.json
       npm run admin -- add-secret TENANT [--kid KID]
       npm run admin -- revoke-secret TENANT KID
${WEBHOOKS_USAGE}
options: --url URL  --admin-secret SECRET`;

const { values, positionals } = options(
  {
    url: { type: "string" },
    "admin-secret": { type: "string" },
    file: { type: "string" },
    kid: { type: "string" },
    ...WEBHOOKS_OPTIONS,
  },
  USAGE,
);
// `webhooks SUBCOMMAND TENANT [ENDPOINT]`: the tenant comes after the subcommand.
const webhooks = positionals[0] === "webhooks";
const [command, tenant, kid] = webhooks ? [positionals[0], positionals[2], positionals[3]] : positionals;
if (values.help || !command || !tenant) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const base = (values.url ?? process.env.EDGEDESK_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const secret = values["admin-secret"] ?? process.env.EDGEDESK_ADMIN_SECRET ?? DEMO_ADMIN_SECRET;

async function call(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${base}/api/v1/admin/tenants/${encodeURIComponent(tenant!)}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (text)
    console.log(res.headers.get("content-type")?.includes("json") ? JSON.stringify(JSON.parse(text), null, 2) : text);
  if (!res.ok) process.exit(1);
}

switch (command) {
  case "webhooks":
    await webhooksCommand(positionals[1], kid, values, call);
    break;
  case "get":
    await call("GET", "");
    break;
  case "put": {
    if (!values.file) {
      console.error(`put needs --file\n\n${USAGE}`);
      process.exit(2);
    }
    await call("PUT", "", JSON.parse(await readFile(values.file, "utf8")));
    break;
  }
  case "add-secret":
    await call("POST", "/secrets", values.kid ? { kid: values.kid } : {});
    break;
  case "revoke-secret":
    if (!kid) {
      console.error(`revoke-secret needs a key id\n\n${USAGE}`);
      process.exit(2);
    }
    await call("DELETE", `/secrets/${encodeURIComponent(kid)}`);
    break;
  default:
    console.error(`unknown command ${command}\n\n${USAGE}`);
    process.exit(2);
}
