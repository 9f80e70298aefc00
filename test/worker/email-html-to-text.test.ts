import { describe, expect, it } from "vitest";
import { htmlToText } from "../../worker/email/html-to-text";

describe("htmlToText", () => {
  it("decodes named, decimal and hex entities, Windows-1252 numbers, and leaves unknown ones", () => {
    expect(htmlToText("<p>caf&eacute; &amp;lt; &lt;b&gt; &#8212; &#x1F600; &#150; &nbsp;x &bogus; &#0; AT&T</p>")).toBe(
      "café &lt; <b> — 😀 –  x &bogus; \ufffd AT&T",
    );
  });

  it("turns blocks, <br> and paragraphs into lines", () => {
    expect(htmlToText("<div>one</div><div>two<br>three</div><div><br></div><p>four</p><p>five</p>")).toBe(
      "one\ntwo\nthree\n\nfour\n\nfive",
    );
  });

  it("collapses whitespace as a browser does, but keeps <pre>", () => {
    expect(htmlToText("<p>  a \n  b\t c </p><pre>\nx  y\n  z</pre>")).toBe("a b c\n\nx  y\n  z");
  });

  it("writes lists with markers, nested and numbered", () => {
    expect(
      htmlToText(
        '<ul><li>one</li><li>two<ul><li>two a</li></ul></li></ul><ol start="3"><li>three</li><li><p>four</p></li></ol>',
      ),
    ).toBe("- one\n- two\n  - two a\n3. three\n\n4. four");
  });

  it("quotes blockquotes with `>`, nested ones deeper, but not Gmail's indent", () => {
    const html =
      '<div>reply</div><blockquote type="cite">said<blockquote>earlier<br><br>more</blockquote></blockquote><blockquote style="margin:0 0 0 40px;border:none;padding:0px">indented</blockquote>';
    expect(htmlToText(html)).toBe("reply\n> said\n>> earlier\n>>\n>> more\nindented");
  });

  it("quotes everything from Outlook's divRplyFwdMsg on", () => {
    const html =
      '<div>Thanks</div><hr><div id="divRplyFwdMsg"><b>From:</b> Us<br><b>Sent:</b> Monday</div><div><p>original</p></div>';
    expect(htmlToText(html)).toBe("Thanks\n\n> From: Us\n> Sent: Monday\n>\n> original");
  });

  it("quotes Thunderbird's moz-cite-prefix attribution with its quote", () => {
    const html =
      '<p>Answer</p><div class="moz-cite-prefix">Am 23.11.2026 um 10:00 schrieb Northwind:<br></div><blockquote type="cite">q</blockquote>';
    expect(htmlToText(html)).toBe("Answer\n\n> Am 23.11.2026 um 10:00 schrieb Northwind:\n> q");
  });

  it("drops head, style, script, title, comments and Word's conditional markup", () => {
    const html =
      '<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--><script>alert(1)</script><p class="MsoNormal">Word line<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">next</p></body></html>';
    expect(htmlToText(html)).toBe("Word line\n\nnext");
  });

  it("shows a link's address unless its text already does", () => {
    expect(
      htmlToText(
        '<p><a href="https://example.com/x">the page</a>, <a href="https://example.com/">example.com</a>, <a href="mailto:a@b.c">a@b.c</a></p>',
      ),
    ).toBe("the page <https://example.com/x>, example.com, a@b.c");
  });

  it("reads attributes whatever their quoting, and a stray `<` as text", () => {
    expect(htmlToText(`<div class=x title='a > b'>1 < 2</div><blockquote type=cite data-x="q'>">q</blockquote>`)).toBe(
      "1 < 2\n> q",
    );
  });

  it("converts a megabyte of mail HTML quickly", () => {
    const chunk =
      '<div class="x" style="color:red">Line with <b>bold</b> &amp; <a href="https://example.com/a">a link</a><br></div><blockquote type="cite"><p>q &#8217;</p></blockquote>\n';
    const html = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
    const started = Date.now();
    const text = htmlToText(html);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(text.startsWith("Line with bold & a link <https://example.com/a>\n\n> q ’\n\nLine with")).toBe(true);
  });

  it.each([
    ["unclosed tags", "<a ".repeat(200_000)],
    ["unclosed comments", "<!--".repeat(200_000)],
    ["an unclosed quoted attribute", `<div title="${"x".repeat(500_000)}`],
    ["deep nesting", "<div><span>".repeat(100_000) + "</p>".repeat(100_000)],
    ["deeply nested lists", "<ul>".repeat(20_000) + "<li>x".repeat(20_000)],
    ["deeply nested quotes", "<blockquote>x".repeat(20_000)],
    ["ampersands", `${"&".repeat(500_000)}&#${"1".repeat(100_000)}`],
    ["unclosed style", `<style>${"</styl".repeat(100_000)}`],
  ])("survives %s in linear time", (_, html) => {
    const started = Date.now();
    htmlToText(html);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
