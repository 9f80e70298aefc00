/**
 * The provider's admin API from the command line.
 *   npm run admin -- get demo
 *   npm run admin -- put acme --file acme.json        (body: {"name": …, "parentId": …, "config": {…}})
 *   npm run admin -- add-secret acme [--kid k2]       (prints the new secret once)
 *   npm run admin -- revoke-secret acme k1
 *   npm run admin -- people export acme alice@example.com [--out alice.zip]   (one person's data, docs/privacy.md)
 *   npm run admin -- people erase acme alice@example.com                      (erases them; repeats until done)
 *   npm run admin -- export acme --out acme.zip                               (the tenant's whole data)
 *   npm run admin -- webhooks add acme https://crm.example/in --events ticket.created   (and list, rotate,
 *     test, remove, deliveries: scripts/lib/admin-webhooks.ts)
 * --url (or EDGEDESK_URL, default http://127.0.0.1:8787) and --admin-secret (or EDGEDESK_ADMIN_SECRET;
 * the local demo's secret by default).
 */
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DEMO_ADMIN_SECRET } from "../demo/constants";
import { WEBHOOKS_OPTIONS, WEBHOOKS_USAGE, webhooksCommand } from "./lib/admin-webhooks";
import { options } from "./lib/args";

const USAGE = `usage: npm run admin -- get TENANT
       npm run admin -- put TENANT --file BODY.json
       npm run admin -- add-secret TENANT [--kid KID]
       npm run admin -- revoke-secret TENANT KID
       npm run admin -- people export TENANT EMAIL [--out FILE.zip]
       npm run admin -- people erase TENANT EMAIL
       npm run admin -- export TENANT [--out FILE.zip]
${WEBHOOKS_USAGE}
options: --url URL  --admin-secret SECRET`;

const { values, positionals } = options(
  {
    url: { type: "string" },
    "admin-secret": { type: "string" },
    file: { type: "string" },
    kid: { type: "string" },
    out: { type: "string" },
    ...WEBHOOKS_OPTIONS,
  },
  USAGE,
);
// `people export|erase TENANT EMAIL` and `webhooks SUBCOMMAND TENANT [ENDPOINT]` have their verb
// first; every other command is `COMMAND TENANT [ARG]`.
const verb = positionals[0] === "people" || positionals[0] === "webhooks" ? positionals[1] : undefined;
const [command, tenant, kid] =
  verb && positionals[0] === "people"
    ? [`people ${verb}`, positionals[2], positionals[3]]
    : verb
      ? [positionals[0], positionals[2], positionals[3]]
      : positionals;
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

/** A tenant route with the operator's secret (people's data: the routes take ADMIN_SECRET as well as an admin's token). */
function tenantCall(method: string, path: string): Promise<Response> {
  return fetch(`${base}/api/v1/${encodeURIComponent(tenant!)}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}` },
  });
}

async function failed(res: Response): Promise<never> {
  console.error(`${res.status} ${await res.text()}`);
  process.exit(1);
}

/** Streams a ZIP answer to a file as it arrives (an export of any size never sits in memory). */
async function download(path: string, out: string): Promise<void> {
  const res = await tenantCall("GET", path);
  if (!res.ok || !res.body) return failed(res);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(out));
  console.log(`${out} written.`);
}

function emailArgument(): string {
  if (!kid) {
    console.error(`${command} needs an email address\n\n${USAGE}`);
    process.exit(2);
  }
  return kid;
}

switch (command) {
  case "people export": {
    const email = emailArgument();
    await download(
      `/people/${encodeURIComponent(email)}/export`,
      values.out ?? `${tenant}-${email.replace(/[^\w.-]+/g, "_")}.zip`,
    );
    break;
  }
  case "people erase": {
    const email = emailArgument();
    // Very many tickets are erased over several calls; each call is safe to repeat.
    const total = { tickets: 0, files: 0 };
    for (;;) {
      const res = await tenantCall("DELETE", `/people/${encodeURIComponent(email)}`);
      if (!res.ok) await failed(res);
      const answer = (await res.json()) as { erased: { tickets: number; files: number }; done: boolean };
      total.tickets += answer.erased.tickets;
      total.files += answer.erased.files;
      if (answer.done) break;
    }
    console.log(`Erased ${total.tickets} tickets and ${total.files} files of ${email} in ${tenant}.`);
    break;
  }
  case "export":
    await download("/export", values.out ?? `${tenant}-export.zip`);
    break;
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
