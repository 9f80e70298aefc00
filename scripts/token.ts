/**
 * Prints a signed embed token, as a host panel's backend would mint one.
 *   npm run --silent token -- --tenant demo --sub alice --email alice@example.com --name Alice --role customer
 * Signs with the local demo secret unless --secret/--kid (or EDGEDESK_EMBED_SECRET/EDGEDESK_KID) say otherwise.
 * --services takes JSON ('[{"id":"svc-1","label":"Web hosting","host":"example.com"}]') or id=label pairs ("svc-1=Web hosting,svc-2=VPS").
 */
import { DEMO_EMBED_KEYS } from "../demo/constants";
import { EmbedClaims, Service, signEmbedToken } from "../worker/auth/token";
import { options } from "./lib/args";

const USAGE = `usage: npm run --silent token -- --tenant ID --sub USER --email ADDRESS --name NAME [--role customer|agent|admin]
                                 [--services JSON|id=label,...] [--ttl SECONDS] [--secret SECRET --kid KID]`;

const { values } = options(
  {
    tenant: { type: "string" },
    sub: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    services: { type: "string" },
    ttl: { type: "string" },
    secret: { type: "string" },
    kid: { type: "string" },
  },
  USAGE,
);
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function parseServices(raw: string | undefined): Service[] {
  if (!raw) return [];
  if (raw.trim().startsWith("[")) return Service.array().parse(JSON.parse(raw));
  return raw.split(",").map((pair) => {
    const [id, ...label] = pair.split("=");
    return Service.parse({ id: id?.trim(), label: label.join("=").trim() || id?.trim() });
  });
}

const now = Math.floor(Date.now() / 1000);
const ttl = Number(values.ttl ?? 3600);
const claims = EmbedClaims.safeParse({
  iss: values.tenant,
  aud: "edgedesk",
  sub: values.sub,
  email: values.email,
  name: values.name,
  role: values.role ?? "customer",
  services: parseServices(values.services),
  iat: now,
  exp: now + ttl,
});
if (!claims.success) {
  for (const issue of claims.error.issues)
    console.error(`--${String(issue.path[0] === "iss" ? "tenant" : issue.path[0])}: ${issue.message}`);
  console.error(`\n${USAGE}`);
  process.exit(2);
}
// Without a secret given, the demo tenant's own (each demo tenant has its own; other tenants have none).
const demoKey =
  Object.entries(DEMO_EMBED_KEYS).find(([tenant]) => tenant === claims.data.iss)?.[1] ?? DEMO_EMBED_KEYS.demo;
const secret = values.secret ?? process.env.EDGEDESK_EMBED_SECRET ?? demoKey.secret;
const kid = values.kid ?? process.env.EDGEDESK_KID ?? demoKey.kid;
console.log(await signEmbedToken(claims.data, { kid, secret }));
