/**
 * The snippets of docs/embedding.md's "Signing the token in your panel" are the runnable files'
 * code (test/node/examples-tokens.test.ts runs those against the Worker): every line of a snippet
 * appears in the file its paragraph links to, in order, except `// …` / `# …` elisions. A snippet
 * edited in the docs alone, or a file changed under its snippet, fails here. Reads files only.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const doc = readFileSync(join(ROOT, "docs/embedding.md"), "utf8");
const start = doc.indexOf("## Signing the token in your panel");
const end = doc.indexOf("\n## ", start + 1);
const section = doc.slice(start, end === -1 ? undefined : end);

interface Snippet {
  file: string;
  lines: string[];
}

/** Each fenced block with the last examples/ file linked in the prose before it. */
function snippets(text: string): Snippet[] {
  const found: Snippet[] = [];
  let prose = 0;
  for (const block of text.matchAll(/^```\w+\n([\s\S]*?)^```$/gm)) {
    const links = [...text.slice(prose, block.index).matchAll(/\]\(\.\.\/(examples\/[\w/.-]+\.(?:php|mjs|py|go))\)/g)];
    const file = links.at(-1)?.[1];
    if (file) found.push({ file, lines: (block[1] ?? "").replace(/\n$/, "").split("\n") });
    prose = block.index + block[0].length;
  }
  return found;
}

/** The snippet's lines not found, in order, among the file's. */
function missing(snippet: Snippet): string[] {
  const file = readFileSync(join(ROOT, snippet.file), "utf8").split("\n");
  let at = 0;
  const lost: string[] = [];
  for (const line of snippet.lines) {
    if (/^\s*(\/\/|#) …$/.test(line)) continue;
    const next = file.indexOf(line, at);
    if (next === -1) lost.push(line);
    else at = next + 1;
  }
  return lost;
}

describe("docs/embedding.md's panel recipes", () => {
  const all = snippets(section);

  it("show each runnable signer", () => {
    expect(start).toBeGreaterThan(-1);
    expect(all.map((s) => s.file).sort()).toEqual([
      "examples/go/main.go",
      "examples/node/sign-token.mjs",
      "examples/php/edgedesk-token.php",
      "examples/php/whmcs-hook.php",
      "examples/python/sign_token.py",
    ]);
  });

  for (const snippet of all) {
    it(`${snippet.file}: the snippet is the file's code`, () => {
      expect(missing(snippet)).toEqual([]);
    });
  }
});
