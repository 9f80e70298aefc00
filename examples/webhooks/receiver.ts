/**
 * A receiver for Edgedesk's event webhooks (docs/webhooks.md), in Node without a framework. It
 * checks each delivery twice, to show both ways: with the Standard Webhooks library
 * (`npm install standardwebhooks`) and with plain node:crypto, and drops repeats by `webhook-id`.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=9000 npx tsx examples/webhooks/receiver.ts
 *   npm run admin -- webhooks add demo http://127.0.0.1:9000/hook --events ticket.created,ticket.replied
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const secret = process.env.WEBHOOK_SECRET ?? "";
const port = Number(process.env.PORT ?? 9000);
const seen = new Set<string>(); // a real receiver keeps this in its database
const TOLERANCE_SECONDS = 5 * 60;

/** The Standard Webhooks check in plain code: one of the `v1,…` signatures is ours, and the timestamp is recent. */
export function verifyPlain(
  secret: string,
  headers: Record<string, string>,
  body: string,
  nowSeconds: number,
): boolean {
  const id = headers["webhook-id"] ?? "";
  const timestamp = headers["webhook-timestamp"] ?? "";
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return (headers["webhook-signature"] ?? "").split(" ").some((part) => {
    const [version, signature] = part.split(",");
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const library = new Webhook(secret);
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let event: { type: string; data: { ticket?: { number: number; subject: string } | null } };
      try {
        event = library.verify(body, headers) as typeof event; // throws when the signature or timestamp is wrong
      } catch {
        res.writeHead(401).end();
        return;
      }
      if (!verifyPlain(secret, headers, body, Math.floor(Date.now() / 1000)))
        throw new Error("the two checks disagree");
      const id = headers["webhook-id"] ?? "";
      if (!seen.has(id)) {
        seen.add(id);
        const ticket = event.data.ticket;
        console.log(`${event.type}${ticket ? ` #${ticket.number} ${ticket.subject}` : ""}`);
      }
      res.writeHead(204).end(); // answer 2xx quickly; do slow work after
    });
  }).listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}/hook`));
}
