import { describe, expect, it } from "vitest";

/** Every Worker source file as text, by path ("worker/tickets/create.ts"). */
const sources = Object.fromEntries(
  Object.entries(import.meta.glob<string>("../../worker/**/*.ts", { query: "?raw", import: "default", eager: true })).map(([path, text]) => [
    path.replace(/^(\.\.\/)+/, ""),
    text,
  ]),
);

const IMPORT = /^\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.{1,2}\/[^"']+)["']/gm;

/** The Worker files each file imports or re-exports from, type-only imports included. */
function importsOf(path: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].flatMap(([, spec]) => {
    const target = new URL(spec!, `file:///${path}`).pathname.slice(1);
    return [`${target}.ts`, `${target}/index.ts`].filter((candidate) => candidate in sources);
  });
}

/** Each circle once, as the path that closes it ("a.ts → b.ts → a.ts"). */
function circles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const walk = (file: string, path: string[]) => {
    const at = path.indexOf(file);
    if (at >= 0) return void found.push([...path.slice(at), file].join(" → "));
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) walk(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) walk(file, []);
  return found;
}

describe("the Worker's modules", () => {
  it("are all found", () => {
    expect(Object.keys(sources)).toContain("worker/index.ts");
    expect(Object.keys(sources).length).toBeGreaterThan(50);
  });

  it("import each other in one direction only: no file reaches itself through its imports", () => {
    const graph = new Map(Object.entries(sources).map(([path, text]) => [path, importsOf(path, text)]));
    expect(circles(graph)).toEqual([]);
  });

  it("would report a circle", () => {
    expect(circles(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]]]))).toEqual(["a.ts → b.ts → c.ts → a.ts"]);
  });
});
