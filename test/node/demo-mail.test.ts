import { describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS, DEMO_USERS, SHARED_DEMO_KID } from "../../demo/constants";
import { signEmbedToken } from "../../worker/auth/token";

/** The demo as `npm start` runs it: mail in through wrangler's email route, and each tenant's own secret. */
describe("the demo's mail and secrets, as npm start runs them", () => {
  const demoUrl = inject("demoUrl");
  const tokenOf = async (user: string) => (await fetch(`${demoUrl}/demo/token/${user}`)).text();

  it("takes a reply to a demo notice at POST /cdn-cgi/handler/email and puts it on its ticket", async () => {
    const page = await (await fetch(`${demoUrl}/demo/outbox`)).text();
    // The newest notice to Alice that takes replies: its ticket number, reply address and Message-ID,
    // all from one mail (the match never runs on into the next mail's card).
    const notice =
      /aria-label="[^"]*\[#(\d+)\][^"]*">(?:(?!aria-label=)[\s\S])*?<span>To<\/span><span>alice@example\.com<\/span>\s*<span>Reply-To<\/span><span>([^<]+)<\/span>(?:(?!aria-label=)[\s\S])*?Message-ID: &lt;([^&]+)&gt;/i.exec(
        page,
      );
    expect(notice).not.toBeNull();
    const [, number, replyTo, messageId] = notice as unknown as [string, string, string, string];
    const text = `Replied by mail through the email route, ${Date.now()}.`;
    const raw = [
      "From: Alice Moreno <alice@example.com>",
      `To: ${replyTo}`,
      "Subject: Re: your ticket",
      `Message-ID: <route.${Date.now()}@mail.example>`,
      `In-Reply-To: <${messageId}>`,
      `References: <${messageId}>`,
      `Date: ${new Date().toUTCString()}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      text,
      "",
    ].join("\r\n");
    const query = new URLSearchParams({ from: "alice@example.com", to: replyTo });
    const res = await fetch(`${demoUrl}/cdn-cgi/handler/email?${query}`, { method: "POST", body: raw });
    expect(res.status).toBeLessThan(300);

    const auth = { headers: { authorization: `Bearer ${await tokenOf("alice")}` } };
    const { tickets } = (await (await fetch(`${demoUrl}/api/v1/demo/tickets?q=${number}`, auth)).json()) as {
      tickets: { id: string; number: number }[];
    };
    const ticket = tickets.find((t) => String(t.number) === number);
    expect(ticket, `ticket #${number} (${tickets.length} found)`).toBeDefined();
    const { ticket: detail } = (await (await fetch(`${demoUrl}/api/v1/demo/tickets/${ticket!.id}`, auth)).json()) as {
      ticket: { messages: { body: string; source: string }[] };
    };
    expect(detail.messages.at(-1)).toMatchObject({ body: text, source: "email" });
  });

  it("gives each demo tenant its own secret: the reseller's cannot sign a provider agent token", async () => {
    const bob = DEMO_USERS.find((u) => u.key === "bob")!;
    const now = Math.floor(Date.now() / 1000);
    const agentToken = (key: { kid: string; secret: string }) =>
      signEmbedToken(
        {
          iss: "demo",
          aud: "edgedesk",
          sub: bob.sub,
          email: bob.email,
          name: bob.name,
          role: "agent",
          services: [],
          iat: now,
          exp: now + 300,
        },
        key,
      );
    const status = async (token: string) =>
      (await fetch(`${demoUrl}/api/v1/demo/tickets`, { headers: { authorization: `Bearer ${token}` } })).status;
    const reseller = DEMO_EMBED_KEYS["demo-reseller"];
    expect(DEMO_EMBED_KEYS.demo.secret).not.toBe(reseller.secret);
    expect(await status(await agentToken(reseller))).toBe(401);
    expect(await status(await agentToken({ kid: DEMO_EMBED_KEYS.demo.kid, secret: reseller.secret }))).toBe(401);
    expect(await status(await agentToken({ kid: SHARED_DEMO_KID, secret: reseller.secret }))).toBe(401);
    expect(await status(await agentToken(DEMO_EMBED_KEYS.demo))).toBe(200);
  });
});
