// Dependencies point one way: each folder of src/ imports only its own folder and the layers below
// it, and no module imports, directly or through others, one that imports it back (type-only
// imports count: they tie the modules' meaning together all the same).
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

/**
 * The layers of src/, top first: a module may import its own folder or a folder further down.
 * cli/ is the `chipscale` command; src/*.ts the public facade (index, Simulator, pool) that binds
 * the analyses to the engine; analyses/ answer questions over the Planner interface; engine/ runs
 * the core (encode, search, decode); contract/ is what callers pass and get (scenario, options,
 * facts, plan rules); calibration/ and catalog/ are constants with sources; assembly/ is the core.
 */
const LAYERS = [
  "src/cli",
  "src",
  "src/analyses",
  "src/engine",
  "src/contract",
  "src/calibration",
  "src/catalog",
  "assembly",
];

/** The layer index of a repository path: its folder's place in LAYERS. */
function layer(file: string): number {
  const i = LAYERS.indexOf(dirname(file));
  if (i < 0) throw new Error(`${file} is in no layer: add its folder to LAYERS`);
  return i;
}

/** The imports of `g` that point up a layer (each folder is a layer of its own). */
function upward(g: Map<string, string[]>): string[] {
  return [...g].flatMap(([file, deps]) =>
    deps.filter((d) => layer(d) < layer(file)).map((d) => `${file} -> ${d}`),
  );
}

describe("layers", () => {
  it("each folder of src/ imports only its own folder and the layers below it", () => {
    const g = graph("src");
    expect(upward(g)).toEqual([]);
  });

  it("the layer check finds an import that points up", () => {
    const g = new Map([
      ["src/engine/wire.ts", ["src/contract/scenario.ts"]],
      ["src/contract/scenario.ts", ["src/analyses/match.ts"]],
    ]);
    expect(upward(g)).toEqual(["src/contract/scenario.ts -> src/analyses/match.ts"]);
  });

  it("web/ uses the library only through its public entry", () => {
    for (const file of sources("web")) {
      const text = readFileSync(join(root, file), "utf8");
      const specs = [...text.matchAll(/(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1]);
      expect(
        specs.filter((s) => /(^|\/)(src|build|assembly)\//.test(s)),
        file,
      ).toEqual([]);
    }
  });

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
    const analyses = [...g.keys()].filter((f) => f.startsWith("src/analyses/"));
    expect(analyses.length).toBeGreaterThanOrEqual(7);
    for (const a of analyses) {
      expect(g.get(a)).not.toContain("src/simulator.ts");
      expect(g.get(a)).not.toContain("src/engine/core.ts");
    }
  });
});
