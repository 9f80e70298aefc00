import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { extractReply } from "../../worker/email/reply-text";
import {
  type ContentFixture,
  EXPECTED,
  FIXTURES,
  type FixtureName,
  fillFixture,
  NOTIFICATION_TEXT,
} from "./fixtures/mail";

const VALUES = {
  from: "alice@moreno-design.example",
  to: "support+6f1c2a9e4b7d4e0f9a3b5c7d8e9f0a1b.4c1d2e3f4a5b6c7d8e9f@northwind-hosting.example",
  inReplyTo: "<edgedesk.0b6f3c1e-5d2a-4f7b-9c8e-1a2b3c4d5e6f@northwind-hosting.example>",
  messageId: "<CAJx0q4Vn8mR2kT5pW9eH3bL7cN1uA6jE4oK8iS2vD0yX@mail.gmail.com>",
};

const parse = (name: FixtureName) => PostalMime.parse(fillFixture(FIXTURES[name], VALUES));

/** What postal-mime gives the inbound handler, passed on as it does. */
async function replyOf(name: FixtureName, sent: string[] = [NOTIFICATION_TEXT]) {
  const mail = await parse(name);
  return extractReply(
    { ...(mail.text !== undefined && { text: mail.text }), ...(mail.html !== undefined && { html: mail.html }) },
    sent,
  );
}

const flat = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
/** Every sentence (or clause before a colon) of the notification, whitespace flattened. */
const OUR_SENTENCES = flat(NOTIFICATION_TEXT)
  .split(/(?<=[.?:])\s/)
  .map((s) => s.trim())
  .filter((s) => s.length >= 12);

const CONTENT_FIXTURES = Object.keys(EXPECTED) as ContentFixture[];

describe("extractReply on mail from real clients", () => {
  it("knows the sentences it guards against", () => {
    expect(OUR_SENTENCES).toEqual([
      'bob lindqvist replied to your ticket #48213077, "500 error on example.com":',
      "the caching plugin's update left a broken rule in .htaccess.",
      "i restored the previous .htaccess from last night's backup and the site loads again.",
      "could you confirm on your side?",
      "reply to this email to answer, or follow the ticket in your control panel.",
      "never send passwords by email:",
      "use the form in your control panel.",
      "-- northwind hosting support",
    ]);
  });

  it.each(CONTENT_FIXTURES)("%s: keeps exactly what the customer wrote", async (name) => {
    const reply = await replyOf(name);
    expect(reply.text).toBe(EXPECTED[name]);
  });

  it.each(CONTENT_FIXTURES)("%s: not one sentence of our notification survives", async (name) => {
    const text = flat((await replyOf(name)).text);
    for (const sentence of OUR_SENTENCES) expect(text).not.toContain(sentence);
    expect((await replyOf(name)).text).not.toMatch(/^>/m);
  });

  const flags: [ContentFixture, { quoteRemoved: boolean; signatureRemoved: boolean }][] = [
    ["gmail-top-posted", { quoteRemoved: true, signatureRemoved: true }],
    ["gmail-inline", { quoteRemoved: true, signatureRemoved: false }],
    ["outlook-top-posted", { quoteRemoved: true, signatureRemoved: false }],
    ["apple-mail-top-posted", { quoteRemoved: true, signatureRemoved: true }],
    ["thunderbird-inline", { quoteRemoved: true, signatureRemoved: true }],
    ["html-only", { quoteRemoved: true, signatureRemoved: false }],
    ["with-attachments", { quoteRemoved: true, signatureRemoved: false }],
    ["forwarded", { quoteRemoved: false, signatureRemoved: true }],
    ["password-reply", { quoteRemoved: true, signatureRemoved: true }],
    ["new-ticket", { quoteRemoved: false, signatureRemoved: false }],
  ];
  it.each(flags)("%s: says what it removed", async (name, expected) => {
    const { quoteRemoved, signatureRemoved } = await replyOf(name);
    expect({ quoteRemoved, signatureRemoved }).toEqual(expected);
  });

  it.each([
    "gmail-top-posted",
    "gmail-inline",
    "outlook-top-posted",
    "apple-mail-top-posted",
    "forwarded",
    "password-reply",
  ] as const)("%s: the HTML alternative alone gives the same text", async (name) => {
    const mail = await parse(name);
    expect(extractReply({ html: mail.html ?? "" }, [NOTIFICATION_TEXT]).text).toBe(EXPECTED[name]);
  });

  it("reads an HTML-only mail from its HTML", async () => {
    const mail = await parse("html-only");
    expect(mail.text).toBeUndefined();
    expect((await replyOf("html-only")).text).toContain(
      '\n- the /shop page shows "Error establishing a database connection";\n',
    );
  });

  it("prefers the HTML when the text alternative lost the quote marks the HTML has", () => {
    const html = '<div>Works now.</div><blockquote type="cite">Could you confirm on your side?</blockquote>';
    // Such a text part cannot tell the quote from the answer; nothing of it is our sent text.
    const text = "Works now.\nCould you confirm on your side?";
    expect(extractReply({ text, html }, [])).toEqual({
      text: "Works now.",
      quoteRemoved: true,
      signatureRemoved: false,
    });
    expect(extractReply({ text: `${text}\n> quoted`, html }, []).text).toBe(text);
  });

  it.each(["new-ticket", "forwarded"] as const)(
    "%s: reads the same for a new ticket, with nothing sent yet",
    async (name) => {
      expect((await replyOf(name, [])).text).toBe(EXPECTED[name]);
    },
  );

  it("keeps the typed text of a reply that quotes nothing we recognise as the whole message", async () => {
    const reply = await replyOf("gmail-top-posted", []);
    // The `>` quote and its attribution still go; only the sent-text matching has nothing to match.
    expect(reply.text).toBe(EXPECTED["gmail-top-posted"]);
  });
});

describe("the fixtures are what they claim", () => {
  it.each(Object.keys(FIXTURES) as FixtureName[])("%s: CRLF line endings only, headers then a body", (name) => {
    const raw = FIXTURES[name];
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).toContain("\r\n\r\n");
    expect(raw).toContain("{{MESSAGE_ID}}");
  });

  it("with-attachments carries a real PNG, a PDF and an executable, base64-encoded", async () => {
    const mail = await parse("with-attachments");
    const files = mail.attachments.map((a) => {
      const bytes = new Uint8Array(a.content as ArrayBuffer);
      return { filename: a.filename, mimeType: a.mimeType, head: [...bytes.slice(0, 8)] };
    });
    expect(files).toEqual([
      { filename: "screenshot.png", mimeType: "image/png", head: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
      { filename: "invoice.pdf", mimeType: "application/pdf", head: [...new TextEncoder().encode("%PDF-1.4")] },
      {
        filename: "setup.exe",
        mimeType: "application/x-msdownload",
        head: [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00],
      },
    ]);
    expect(FIXTURES["with-attachments"]).toMatch(/Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo/);
  });

  it("replies name our message; a new ticket and a forward name nothing", async () => {
    for (const name of CONTENT_FIXTURES.filter((n) => n !== "new-ticket" && n !== "forwarded")) {
      const mail = await parse(name);
      expect(mail.inReplyTo, name).toBe(VALUES.inReplyTo);
      expect(mail.references, name).toBe(VALUES.inReplyTo);
    }
    for (const name of ["new-ticket", "forwarded"] as const) {
      const mail = await parse(name);
      expect(mail.inReplyTo, name).toBeUndefined();
      expect(mail.references, name).toBeUndefined();
    }
    const fresh = await parse("new-ticket");
    expect(fresh.subject).toBe("Website down since this morning");
    expect(fresh.to).toEqual([{ name: "", address: VALUES.to }]);
  });

  it("the auto-reply says so in its headers and subject", async () => {
    const mail = await parse("auto-reply");
    const header = (key: string) => mail.headers.find((h) => h.key === key)?.value;
    expect(header("auto-submitted")).toBe("auto-replied");
    expect(header("x-autoreply")).toBe("yes");
    expect(mail.subject).toBe("Automatic reply: Re: [#48213077] 500 Error on example.com");
  });

  it("the bounce is a delivery status report from MAILER-DAEMON", async () => {
    const mail = await parse("bounce");
    expect(mail.headers.find((h) => h.key === "content-type")?.value).toMatch(
      /^multipart\/report; report-type=delivery-status;/,
    );
    expect(mail.from).toEqual({ name: "Mail Delivery System", address: "MAILER-DAEMON@mx.moreno-design.example" });
    expect(mail.text).toContain("Mailbox full");
  });

  it("Outlook's reply carries a Thread-Index, and is Windows-1252 quoted-printable", async () => {
    expect(FIXTURES["outlook-top-posted"]).toMatch(/^Thread-Index: \S+\r$/m);
    expect(FIXTURES["outlook-top-posted"]).toContain(
      'charset="Windows-1252"\r\nContent-Transfer-Encoding: quoted-printable',
    );
    expect((await parse("outlook-top-posted")).text).toContain("working again – thank you");
  });

  it("fillFixture fills every placeholder, literally", () => {
    const mail = fillFixture(FIXTURES["gmail-top-posted"], { ...VALUES, from: "a$&b@example.com" });
    expect(mail).toContain("From: Alice Moreno <a$&b@example.com>\r\n");
    expect(mail).toContain(`In-Reply-To: ${VALUES.inReplyTo}\r\nFrom:`);
    expect(mail).not.toContain("{{");
  });

  it("fillFixture without inReplyTo drops In-Reply-To and References", async () => {
    const { inReplyTo: _, ...rest } = VALUES;
    const mail = fillFixture(FIXTURES["gmail-top-posted"], rest);
    expect(mail).not.toMatch(/^(In-Reply-To|References):/m);
    expect((await PostalMime.parse(mail)).inReplyTo).toBeUndefined();
  });

  it("fillFixture refuses to leave a placeholder unfilled, and makes LF-only input CRLF", () => {
    const { inReplyTo: _, ...rest } = VALUES;
    expect(() => fillFixture(FIXTURES.bounce, rest)).toThrow("{{IN_REPLY_TO}} needs a value");
    expect(fillFixture("Message-ID: {{MESSAGE_ID}}\n\nhi\n", VALUES)).toBe(
      `Message-ID: ${VALUES.messageId}\r\n\r\nhi\r\n`,
    );
  });
});

describe("extractReply rules", () => {
  const sent = [NOTIFICATION_TEXT];
  const reply = (text: string, sentTexts: string[] = sent) => extractReply({ text }, sentTexts);

  it("cuts at Outlook's -----Original Message----- line", () => {
    const text =
      "Works now.\n\n-----Original Message-----\nFrom: Northwind Hosting Support\nSent: Monday\nSubject: Re: x\n\nanything";
    expect(reply(text)).toEqual({ text: "Works now.", quoteRemoved: true, signatureRemoved: false });
  });

  it("removes an unquoted Apple Mail attribution before the quote", () => {
    const text =
      "Fine now.\n\nOn 23 Nov 2026, at 10:00, Northwind Hosting Support <support@northwind-hosting.example> wrote:\n\n> Bob Lindqvist replied";
    expect(reply(text).text).toBe("Fine now.");
  });

  it("removes an attribution Gmail wrapped over two lines", () => {
    const text =
      "Fine now.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Northwind Hosting Support <\nsupport@northwind-hosting.example> wrote:\n\n> quoted";
    expect(reply(text).text).toBe("Fine now.");
  });

  it("removes Gmail's attribution in Russian, which ends with the address", () => {
    const text =
      "Всё работает, спасибо.\n\nпн, 23 нояб. 2026 г. в 10:00, Northwind Hosting Support <support@northwind-hosting.example>:\n\n> Bob Lindqvist replied";
    expect(reply(text).text).toBe("Всё работает, спасибо.");
  });

  it("recognises our text when the client dropped the `>` and re-wrapped it, with no separator at all", () => {
    const text = [
      "Yes, confirmed.",
      "",
      "Bob Lindqvist replied to your ticket #48213077, “500 Error on example.com”:",
      "The caching plugin’s update left a broken rule in .htaccess. I restored the previous",
      ".htaccess from last night's backup and the site loads again. Could you confirm on",
      "your side?",
      "Reply to this email to answer, or follow the ticket in your control panel. Never send passwords by email: use the form in your control panel.",
      "--",
      "Northwind Hosting Support",
    ].join("\n");
    expect(reply(text)).toEqual({ text: "Yes, confirmed.", quoteRemoved: true, signatureRemoved: false });
  });

  it("keeps a customer's own short sentence even if it happens to be in our text", () => {
    expect(reply("Yes, and the site loads again.\n\nCould you confirm on your side?\n")).toEqual({
      text: "Yes, and the site loads again.\n\nCould you confirm on your side?",
      quoteRemoved: false,
      signatureRemoved: false,
    });
  });

  it("keeps pasted mail headers in a new ticket (no separator, nothing of ours after them)", () => {
    const text =
      "This spam is sent in our name:\n\nFrom: Billing <billing@example.com>\nDate: Mon, 23 Nov 2026 09:00\nSubject: Your invoice\n\nPlease pay now.";
    expect(reply(text, [])).toEqual({ text, quoteRemoved: false, signatureRemoved: false });
  });

  it("keeps a dated 'wrote:' line with nothing of ours after it", () => {
    const text = "On 22 Nov 2026, at 18:00, our developer wrote:\nThe cron job needs PHP 8.3.";
    expect(reply(text).text).toBe(text);
  });

  it("keeps inline answers in order, nested quotes removed", () => {
    const text = ">> older\n> first question?\nanswer one\n>> older again\n> second question?\n\nanswer two\n>\n";
    expect(reply(text)).toEqual({ text: "answer one\n\nanswer two", quoteRemoved: true, signatureRemoved: false });
  });

  it.each([
    "Sent from my iPhone",
    "Sent from my iPad",
    "Get Outlook for iOS",
    "Get Outlook for Android<https://aka.ms/AAb9ysg>",
    "Sent from Mail for Windows",
    "Sent from my Galaxy",
    "Отправлено с iPhone",
  ])("removes the mobile footer %j", (footer) => {
    expect(reply(`All good now.\n\n${footer}\n`)).toEqual({
      text: "All good now.",
      quoteRemoved: false,
      signatureRemoved: true,
    });
  });

  it("keeps a line that merely starts like a footer", () => {
    expect(reply("Sent from my office the logs you asked for.").text).toBe(
      "Sent from my office the logs you asked for.",
    );
  });

  it("removes the signature behind `-- `, with or without its space, and only that", () => {
    expect(reply("Done.\n\nBest,\nAlice\n-- \nAlice Moreno\n+1 555 0142")).toEqual({
      text: "Done.\n\nBest,\nAlice",
      quoteRemoved: false,
      signatureRemoved: true,
    });
    expect(reply("Done.\n--\nAlice").text).toBe("Done.");
  });

  it("returns the whole text when nothing would be left, with quoteRemoved false", () => {
    expect(reply("\n> Could you confirm on your side?\n>\n")).toEqual({
      text: "> Could you confirm on your side?\n>",
      quoteRemoved: false,
      signatureRemoved: false,
    });
  });

  it("normalises line endings, trailing whitespace and blank lines", () => {
    expect(reply("\r\n\r\n  Line one  \r\n\r\n\r\n\r\nLine two\t\r\r\n \r\n").text).toBe("  Line one\n\nLine two");
  });

  it("handles a megabyte of text quickly", () => {
    const line = "Some ordinary log line 2026-11-23 10:00:01 [error] upstream timed out (110) while reading\n";
    const big =
      line.repeat(Math.ceil(1_000_000 / line.length)) +
      "> quoted\n" +
      " ".repeat(100_000) +
      "x\n" +
      "-".repeat(100_000) +
      "\n";
    const started = Date.now();
    const result = reply(big);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.quoteRemoved).toBe(true);
  });
});
