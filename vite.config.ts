import ts from "typescript";
import type { Plugin, UserConfig } from "vite";
import { defineConfig } from "vite";

/**
 * The Worker serves dist/public as static assets (wrangler.toml `[assets]`), and applies these
 * rules to them. Module scripts are fetched with CORS, and the widget is public, static and sent
 * without credentials, so any panel origin may load it. The entry keeps its name (panels link to
 * it) and is revalidated often; chunks are content-hashed, so they are immutable.
 */
const ASSET_HEADERS = `# Written by vite.config.ts; applied by Workers static assets.
/widget/*
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/widget/edgedesk.js
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
/widget/edgedesk-console.js
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
/widget/chunks/*
  Cache-Control: public, max-age=31536000, immutable
`;

function assetHeaders(): Plugin {
  return {
    name: "edgedesk-asset-headers",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "_headers", source: ASSET_HEADERS });
    },
  };
}

/**
 * The static text of the widget's html`` and css`` templates without its indentation: line breaks
 * and the spaces around them become one space (HTML and CSS collapse them anyway), CSS comments
 * go, and so do spaces around CSS punctuation. Bindings (`${…}`) are left as they are. The
 * minifier keeps template text verbatim, and the first view's budget is counted in bytes.
 */
function minifyTemplates(): Plugin {
  return {
    name: "edgedesk-minify-templates",
    enforce: "pre",
    transform(code, id) {
      if (!/\/widget\/.+\.ts$/.test(id)) return null;
      const source = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const edits: { start: number; end: number; text: string }[] = [];
      const visit = (node: ts.Node): void => {
        if (
          ts.isTaggedTemplateExpression(node) &&
          ts.isIdentifier(node.tag) &&
          (node.tag.text === "html" || node.tag.text === "css")
        ) {
          const template = node.template;
          const literals = ts.isNoSubstitutionTemplateLiteral(template)
            ? [template]
            : [template.head, ...template.templateSpans.map((span) => span.literal)];
          for (const literal of literals) {
            const start = literal.getStart(source);
            const raw = code.slice(start, literal.end);
            const text = node.tag.text === "css" ? minifyCss(raw) : raw.replace(/\s*\n\s*/g, " ");
            if (text !== raw) edits.push({ start, end: literal.end, text });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      if (!edits.length) return null;
      let out = code;
      // From the end, so that each edit leaves the offsets of those before it intact.
      for (const edit of edits.sort((a, b) => b.start - a.start))
        out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      return { code: out, map: null };
    },
  };
}

/** `raw` is a css`` template's text with its delimiters (a backtick, or `}` and `${` around a binding). */
function minifyCss(raw: string): string {
  return raw
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,`])\s*/g, "$1")
    .replace(/: /g, ":")
    .replace(/;}/g, "}");
}

/**
 * One library build: `entry` as one ES module with Lit inside, written to `widget/<fileName>`, plus
 * its on-demand chunks. The customer widget and the agent console are two passes of this, so that
 * nothing of the console reaches the customer's bundle and the customer's output stays byte for
 * byte what it was (the first pass empties dist/public and writes `_headers`; the second adds).
 */
export function widgetBuild(entry: string, fileName: string, first: boolean): UserConfig {
  return {
    publicDir: false,
    logLevel: "warn",
    plugins: [minifyTemplates(), ...(first ? [assetHeaders()] : [])],
    // Lit's production build, whatever NODE_ENV says (vitest sets "test", which would pick Lit's
    // dev build with its warnings and checks: a third larger).
    resolve: { conditions: ["module", "browser", "production"] },
    build: {
      outDir: "dist/public",
      emptyOutDir: first,
      target: "es2022",
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib: {
        entry,
        formats: ["es"],
        fileName: () => `widget/${fileName}`,
      },
      rolldownOptions: {
        // Lit and the shared code stay in the entry (the on-demand chunks import them from it),
        // rather than a common chunk that would cost the first view a second request.
        preserveEntrySignatures: "allow-extension",
        output: {
          chunkFileNames: "widget/chunks/[name]-[hash].js",
          // Library mode keeps whitespace and pure annotations for downstream bundlers; this file
          // goes straight to browsers.
          minify: true,
          comments: { annotation: false },
        },
      },
    },
  };
}

/** The customer widget (first pass), then the agent console, loaded only by staff pages (second pass). */
export const WIDGET_BUILDS = [
  widgetBuild("widget/index.ts", "edgedesk.js", true),
  widgetBuild("widget/console.ts", "edgedesk-console.js", false),
];

/** `vite build` builds the customer widget; `npm run build` runs both passes (scripts/lib/build-widget.ts). */
export default defineConfig(WIDGET_BUILDS[0]!);
