import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";

const WIDGET = join(ROOT, "widget");

/** Every module of widget/ and the widget modules it imports: static, type-only and dynamic imports alike. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(WIDGET, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(join(WIDGET, file), "utf8");
    const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
    const targets = specifiers.map((s) => relative(WIDGET, join(WIDGET, dirname(file), `${s}.ts`))).filter((t) => files.includes(t));
    graph.set(file, targets);
  }
  return graph;
}

/** The import circles in `graph`, each as the modules along it, the first repeated at the end. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) return void found.push([...path.slice(at), file]);
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

describe("the widget's modules", () => {
  it("import each other in one direction only: no circle, not even through a type or a dynamic import", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(graph.get("elements/edgedesk-tickets.ts")).toContain("elements/ticket-thread.ts");
    expect(circles(graph)).toEqual([]);
  });

  it("finds a circle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(circles(graph)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("leaves the views unaware of the element that shows them", () => {
    for (const [file, targets] of importGraph()) if (file !== "index.ts") expect(targets, file).not.toContain("elements/edgedesk-tickets.ts");
  });
});
