// The README's generated blocks (CLI output, the accuracy table) match what the commands print now.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

describe("README", () => {
  it("opens with the two commands and its generated blocks are current", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const r = spawnSync(process.execPath, ["scripts/update-readme.mjs", "--check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stdout.trim()).toBe("README blocks are current");
    expect(r.status).toBe(0);
  });
});
