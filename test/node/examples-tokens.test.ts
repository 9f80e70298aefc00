/**
 * The panel recipes in examples/ (docs/embedding.md, "Signing the token in your panel"): each
 * signer runs as a panel would run it, with the demo tenant's secret and key id, and the running
 * demo Worker accepts its token, files a ticket about one of the services it names, and refuses
 * the same token with one byte of its signature changed. Node always; PHP (the plain page, and the
 * WHMCS hook in a harness), Python and Go where their interpreter is on PATH (.ci/run installs them).
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS } from "../../demo/constants";
import { ROOT } from "../../scripts/lib/dev-server";

const run = promisify(execFile);
const KEY = DEMO_EMBED_KEYS.demo;

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Go builds in a scratch cache, offline, with the Go that is installed (no toolchain download) and no C compiler. */
let goHome = "";
const goEnv = () => ({
  GOCACHE: join(goHome, "cache"),
  GOPATH: join(goHome, "path"),
  GOTOOLCHAIN: "local",
  GOPROXY: "off",
  GOFLAGS: "",
  CGO_ENABLED: "0",
});

const php = onPath("php");
const SIGNERS = [
  { key: "node", language: "Node", available: true, command: process.execPath, args: ["examples/node/sign-token.mjs"] },
  { key: "php", language: "PHP (plain page)", available: php, command: "php", args: ["examples/php/panel-page.php"] },
  {
    // The hook runs only inside WHMCS: the harness stubs what it calls (localAPI, CurrentUser) with WHMCS's shapes.
    key: "whmcs",
    language: "PHP (WHMCS hook)",
    available: php,
    command: "php",
    args: ["test/node/fixtures/whmcs-harness.php"],
  },
  {
    key: "python",
    language: "Python",
    available: onPath("python3"),
    command: "python3",
    args: ["examples/python/sign_token.py"],
  },
  { key: "go", language: "Go", available: onPath("go"), command: "go", args: ["run", "."], dir: "examples/go" },
];

/** What every example maps its sample billing products to (the cancelled one left out). */
const SAMPLE_SERVICES = [
  { id: "1042", label: "Business Web Hosting — example.com", host: "example.com" },
  { id: "1043", label: "VPS 4 GB", host: "203.0.113.17" },
];

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** The token with the first byte of its signature changed (not a base64 character: its last one may carry only padding bits). */
function tampered(token: string): string {
  const [head, body, signature] = token.split(".") as [string, string, string];
  const bytes = Buffer.from(signature, "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return `${head}.${body}.${bytes.toString("base64url")}`;
}

describe("the panel recipes' tokens, against the running Worker", () => {
  const demoUrl = inject("demoUrl");
  const api = `${demoUrl}/api/v1/demo/tickets`;

  beforeAll(async () => {
    goHome = await mkdtemp(join(tmpdir(), "edgedesk-go-"));
  });
  afterAll(async () => {
    await rm(goHome, { recursive: true, force: true });
  });

  for (const signer of SIGNERS) {
    it.runIf(signer.available)(
      `${signer.language}: accepted for its client and services; tampered, refused`,
      async () => {
        const sub = `recipe-${signer.key}-${Date.now()}`;
        const email = `${sub}@example.com`;
        const name = `Zoë Ångström (${signer.language})`;
        const { stdout } = await run(signer.command, [...signer.args, sub, email, name], {
          cwd: join(ROOT, signer.dir ?? ""),
          env: {
            ...process.env,
            ...(signer.key === "go" && goEnv()),
            EDGEDESK_TENANT: "demo",
            EDGEDESK_KID: KEY.kid,
            EDGEDESK_EMBED_SECRET: KEY.secret,
          },
        });
        const token = stdout.trim();
        expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

        const [head, body] = token.split(".") as [string, string];
        expect(decode(head)).toEqual({ alg: "HS256", typ: "JWT", kid: KEY.kid });
        const claims = decode(body) as Record<string, unknown>;
        const now = Math.floor(Date.now() / 1000);
        expect(claims).toEqual({
          iss: "demo",
          aud: "edgedesk",
          sub,
          email,
          name,
          role: "customer",
          services: SAMPLE_SERVICES,
          iat: expect.any(Number),
          exp: expect.any(Number),
        });
        expect(Math.abs(Number(claims.iat) - now)).toBeLessThan(60);
        expect(Number(claims.exp) - Number(claims.iat)).toBe(600);

        const auth = (t: string) => ({ authorization: `Bearer ${t}`, "content-type": "application/json" });
        const list = await fetch(api, { headers: auth(token) });
        expect(list.status).toBe(200);
        expect(((await list.json()) as { tickets: unknown[] }).tickets).toEqual([]);

        const created = await fetch(api, {
          method: "POST",
          headers: auth(token),
          body: JSON.stringify({
            department: "billing",
            subject: `Invoice for the VPS (${signer.language} recipe)`,
            message: "Which card was the VPS renewal charged to?",
            serviceId: "1043",
          }),
        });
        expect(created.status).toBe(201);
        const { ticket } = (await created.json()) as { ticket: { serviceId: string | null } };
        expect(ticket.serviceId).toBe("1043");

        const refused = await fetch(api, { headers: auth(tampered(token)) });
        expect(refused.status).toBe(401);
        expect(refused.headers.get("content-type")).toContain("application/problem+json");
      },
    );
  }
});
