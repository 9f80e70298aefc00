/**
 * The shape of the code base, checked: no import circle between source files, and no source file
 * over 400 lines unless its first lines say why. Reads files only; runs nothing.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["worker", "widget", "scripts", "demo", "shared"];
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every relative module a file names: static imports and re-exports, type-only ones, and `import()`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gms),
    ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => resolveModule(dirname(file), s));
}

function resolveModule(from: string, specifier: string): string {
  const base = resolve(from, specifier);
  for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, ".ts"), join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next spelling
    }
  }
  return base;
}

/** The circles of a directed graph (Tarjan's strongly connected components of two or more files, or a self-import). */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));

describe("the code base", () => {
  it("finds circles when there are some (the checker itself)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a", "d"]],
      ["e", []],
    ]);
    expect(circles(graph)).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("has no import circle between source files", () => {
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const named = circles(graph).map((circle) => circle.map((file) => relative(ROOT, file)));
    expect(named).toEqual([]);
  });

  it("leaves the widget's views unaware of the element that shows them (the console reuses them)", () => {
    const frame = join(ROOT, "widget/elements/edgedesk-tickets.ts");
    const viewers = files.filter(
      (file) => file.includes("/widget/") && !file.endsWith("widget/index.ts") && importsOf(file).includes(frame),
    );
    expect(viewers.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("keeps source files under 400 lines, or says at the top why not", () => {
    const tooLong = files.filter((file) => {
      const lines = readFileSync(file, "utf8").replace(/\n$/, "").split("\n");
      if (lines.length <= MAX_LINES) return false;
      return !/longer than 400 lines/i.test(lines.slice(0, 12).join("\n"));
    });
    expect(tooLong.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
