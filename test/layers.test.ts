// Dependencies point one way: no module of src/ imports, directly or through others, one that
// imports it back (type-only imports count: they tie the modules' meaning together all the same).
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every .ts file under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** The relative imports of each file, as repository paths of .ts files. */
function graph(dir: string): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources(dir)) {
    const text = readFileSync(join(root, file), "utf8");
    const deps = [...text.matchAll(/(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)\.js"/g)].map(
      (m) => relative(root, normalize(join(root, dirname(file), m[1] + ".ts"))),
    );
    g.set(file, [...new Set(deps)]);
  }
  return g;
}

/** The import cycles of `g`, each as the files around it (one per strongly connected set). */
function cycles(g: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue; // outside src/ (assembly/layout.ts)
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("layers", () => {
  it("src/ has no import loop", () => {
    const g = graph("src");
    expect(g.size).toBeGreaterThan(20);
    expect(cycles(g)).toEqual([]);
  });

  it("the check finds a loop when there is one", () => {
    const g = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(g)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("the analyses reach the simulator only through the Planner interface", () => {
    const g = graph("src");
    for (const a of ["answers", "match", "nearby", "sweep", "sensitivity", "frontier"])
      expect(g.get(`src/${a}.ts`)).not.toContain("src/simulator.ts");
  });
});
