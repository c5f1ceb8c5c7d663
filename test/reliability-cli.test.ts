// The command line's breaks from issue 20: prototype names as commands, output that cannot be
// written, unbounded standard input, loose --top and sweep axes.
import { describe, it, expect } from "vitest";
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "chipscale.js");
const example = "examples/gpt3-1024-a100.json";

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const errorOf = (out: string) =>
  (JSON.parse(out) as { errors: { path: string; message: string }[] }).errors[0];

describe("the CLI under hostile use", () => {
  it("Object.prototype names are not commands", () => {
    for (const args of [
      ["constructor", example],
      ["__proto__", example],
      ["toString", example],
      ["hasOwnProperty", "--help"],
      ["constructor", "--x"],
    ]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(errorOf(r.out).message).toBe(`unknown command "${args[0]}"; try chipscale --help`);
    }
  });

  it.runIf(existsSync("/dev/full"))("a write that fails (/dev/full) exits 1, not 0", () => {
    const r = spawnSync(`${process.execPath} ${bin} chips > /dev/full`, {
      cwd: root,
      shell: true,
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot write the output");
  });

  it("a reader that closes the pipe early makes the exit non-zero", async () => {
    const child = spawn(process.execPath, [bin, "chips", "--json"], { cwd: root });
    child.stdout.destroy(); // the reader goes away before the output is written
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(1);
  });

  it("standard input is capped at 16 MiB like a file, with a named error", () => {
    const r = run(["simulate", "-"], Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect(r.code).toBe(2);
    expect(errorOf(r.out).message).toContain("standard input is over 16777216 bytes");
  });

  it("--top needs a decimal value from 1 to 1000", () => {
    for (const args of [
      ["search", example, "--top"],
      ["search", example, "--top", "--format", "table"],
      ["search", example, "--top", "0x10"],
      ["search", example, "--top", "1e2"],
      ["search", example, "--top", "0"],
    ]) {
      const r = run(args);
      expect(r.code).toBe(2);
      // With --format table the error is a line on stderr, else the JSON object on stdout.
      if (args.includes("table")) expect(r.err).toMatch(/^error: --top: /);
      else expect(errorOf(r.out).path).toBe("--top");
    }
    const ok = run(["search", example, "--top", "2"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).top.length).toBeLessThanOrEqual(2);
  });

  it("sweep refuses prototype names as axes and NaN-like values, naming their flags", () => {
    for (const axis of ["constructor", "__proto__", "toString"]) {
      const r = run(["sweep", example, "--axis", axis, "--values", "8,16"]);
      expect(r.code).toBe(2);
      expect(errorOf(r.out).path).toBe("--axis");
    }
    const nan = run([
      "sweep",
      example,
      "--axis",
      "count",
      "--values",
      "NaN,Infinity",
      "--format",
      "json",
    ]);
    expect(nan.code).toBe(2);
    expect(JSON.parse(nan.out).errors.map((e: { path: string }) => e.path)).toEqual([
      "--values[0]",
      "--values[1]",
    ]);
  });
});
