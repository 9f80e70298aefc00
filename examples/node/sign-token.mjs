#!/usr/bin/env node
/**
 * Signs an Edgedesk embed token (an HS256 JWT) for the logged-in client, with node:crypto only.
 *
 *   EDGEDESK_TENANT=demo EDGEDESK_KID=northwind-1 EDGEDESK_EMBED_SECRET=… \
 *     node examples/node/sign-token.mjs [sub email name]
 *
 * In a panel, call embedToken() in the handler behind the widget's tokenProvider, with the client
 * from your session; never in the browser (the secret would be anyone's).
 */
import { createHmac } from "node:crypto";
import { pathToFileURL } from "node:url";

const base64url = (data) => Buffer.from(data).toString("base64url");

/** The token for `client` ({id, email, name}) and their `services` ([{id, label, host?}]); `ttl` in seconds. */
export function embedToken(client, services, { tenant, kid, secret }, ttl = 600) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "HS256", typ: "JWT", kid };
  const claims = {
    iss: tenant,
    aud: "edgedesk",
    sub: String(client.id),
    email: client.email,
    name: client.name,
    role: "customer",
    services,
    iat: now,
    exp: now + ttl,
  };
  const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${createHmac("sha256", secret).update(signed).digest("base64url")}`;
}

/**
 * Billing products (WHMCS GetClientsProducts rows: id, name, domain, dedicatedip, status) as
 * `services`, active ones only: `host` is the domain, else the dedicated IP.
 */
export function servicesFromProducts(products) {
  return products
    .filter((p) => (p.status ?? "Active") === "Active")
    .map((p) => {
      const domain = (p.domain ?? "").trim();
      const host = domain || (p.dedicatedip ?? "").trim();
      return { id: String(p.id), label: domain ? `${p.name} — ${domain}` : p.name, ...(host && { host }) };
    });
}

/** A sample client and their products; your panel takes them from its session and billing system. */
const SAMPLE_PRODUCTS = [
  { id: 1042, name: "Business Web Hosting", domain: "example.com", dedicatedip: "", status: "Active" },
  { id: 1043, name: "VPS 4 GB", domain: "", dedicatedip: "203.0.113.17", status: "Active" },
  { id: 1007, name: "Starter Hosting", domain: "old.example", dedicatedip: "", status: "Cancelled" },
];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { EDGEDESK_TENANT: tenant, EDGEDESK_KID: kid, EDGEDESK_EMBED_SECRET: secret } = process.env;
  for (const [name, value] of Object.entries({
    EDGEDESK_TENANT: tenant,
    EDGEDESK_KID: kid,
    EDGEDESK_EMBED_SECRET: secret,
  }))
    if (!value) {
      console.error(`${name} is not set`);
      process.exit(2);
    }
  const [id = "1001", email = "alice@example.com", name = "Alice Moreno"] = process.argv.slice(2);
  console.log(embedToken({ id, email, name }, servicesFromProducts(SAMPLE_PRODUCTS), { tenant, kid, secret }));
}
