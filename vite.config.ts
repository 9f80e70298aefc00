import type { Plugin } from "vite";
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

/** `npm run build`: <edgedesk-tickets> as one ES module with Lit inside, plus on-demand chunks. */
export default defineConfig({
  publicDir: false,
  logLevel: "warn",
  plugins: [assetHeaders()],
  // Lit's production build, whatever NODE_ENV says (vitest sets "test", which would pick Lit's
  // dev build with its warnings and checks: a third larger).
  resolve: { conditions: ["module", "browser", "production"] },
  build: {
    outDir: "dist/public",
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: "widget/index.ts",
      formats: ["es"],
      fileName: () => "widget/edgedesk.js",
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
});
