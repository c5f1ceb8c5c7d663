// What a new user's trial of the `chipscale` command found, end to end: every bad input exits 2
// naming its field, every answer a script may branch on has its exit code, tables on request.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "chipscale.js");

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("chipscale sweep with bad values", () => {
  it("exits 2 naming each bad value by its flag and index, the field in the message", () => {
    const r = run([
      "sweep",
      "examples/gpt3-1024-a100.json",
      "--axis",
      "count",
      "--values",
      "512,abc,0",
    ]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ["--values[1]", "wrong-type"],
      ["--values[2]", "out-of-range"],
    ]);
    expect(j.errors[0].message).toBe(
      'cluster.count: must be a finite number, got the string "abc"',
    );
    expect(j.errors[1].data).toEqual({ got: 0, min: 1, max: 1e9 });
    // The second axis too: an unknown chip id names --by-values[k].
    const by = run([
      "sweep",
      "examples/gpt3-1024-a100.json",
      "--axis",
      "count",
      "--values",
      "512",
      "--by",
      "chip",
      "--by-values",
      "nvidia-h100-sxm5-80gb,h100x",
    ]);
    expect(by.code).toBe(2);
    const e = JSON.parse(by.out).errors;
    expect(e.map((x: { path: string; code: string }) => [x.path, x.code])).toEqual([
      ["--by-values[1]", "unknown-id"],
    ]);
    expect(e[0].message).toMatch(/^cluster\.chip: unknown chip "h100x"/);
  });

  it("a valid value without a plan stays a point with its reason, and exits 0", () => {
    const r = run([
      "sweep",
      "examples/gpt3-1024-a100.json",
      "--axis",
      "count",
      "--values",
      "512,3",
    ]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatch(/^3,,.*none of \d+ plans fits in 80 GB per chip/);
  });
});
