import type { Context } from "hono";
import { sendPage } from "../middleware/page-headers";

const DOCS_STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 24px; color: #1d2433; }
  h1 { margin-bottom: 0; } .lead { color: #555; }
  section { border: 1px solid #d9dee8; border-radius: 8px; margin: 14px 0; padding: 12px 16px; }
  .m { display: inline-block; min-width: 64px; font: 700 12px/22px ui-monospace, monospace; text-transform: uppercase; border-radius: 4px; text-align: center; color: #fff; }
  .get { background: #1f6feb; } .post { background: #1a7f37; } .patch { background: #9a6700; } .put { background: #8250df; } .delete { background: #cf222e; }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; } pre { background: #f4f6fa; padding: 10px; overflow: auto; border-radius: 6px; }
  details summary { cursor: pointer; color: #1f6feb; }
  .op { font: 13px ui-monospace, monospace; color: #555; margin-left: 8px; }
`;

// Builds the page from the document in the browser; allowed by its hash (middleware/page-headers.ts).
const DOCS_SCRIPT = `
  const doc = await (await fetch("/api/v1/openapi.json")).json();
  const main = document.getElementById("ops");
  main.textContent = "";
  const el = (tag, props = {}, ...children) => { const n = Object.assign(document.createElement(tag), props); n.append(...children); return n; };
  const pre = (v) => el("pre", { textContent: JSON.stringify(v, null, 2) });
  const deref = (s) => s && s.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      // The operationId is the section's anchor: /api/v1/docs#createTicket.
      const s = el("section", { id: op.operationId || "" });
      s.append(el("h3", {}, el("span", { className: "m " + method, textContent: method }), " ", el("code", { textContent: path }), " ", el("a", { className: "op", href: "#" + op.operationId, textContent: op.operationId || "" })));
      s.append(el("p", { textContent: op.summary || "" }), el("p", { textContent: op.description || "" }));
      if (op.parameters?.length) s.append(el("details", {}, el("summary", { textContent: "Parameters" }), pre(op.parameters.map((p) => ({ name: p.name, in: p.in, required: !!p.required, description: p.description })))));
      const body = op.requestBody?.content?.["application/json"]?.schema;
      if (body) s.append(el("details", {}, el("summary", { textContent: "Request body" }), pre(deref(body))));
      s.append(el("details", {}, el("summary", { textContent: "Responses" }), pre(Object.fromEntries(Object.entries(op.responses).map(([k, v]) => [k, v.description])))));
      main.append(s);
    }
  }
`;

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edgedesk API</title>
<style>${DOCS_STYLE}</style>
</head>
<body>
<h1>Edgedesk API</h1>
<p class="lead">Generated from the same schemas that validate requests: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
<main id="ops">Loading…</main>
<script type="module">${DOCS_SCRIPT}</script>
</body>
</html>`;

/** A readable page for the OpenAPI document, rendered in the browser from /api/v1/openapi.json with no third-party code. */
export function showDocs(c: Context): Promise<Response> {
  return sendPage(c, DOCS_PAGE, { inlineScripts: [DOCS_SCRIPT], inlineStyles: [DOCS_STYLE], sameOriginFetch: true });
}
