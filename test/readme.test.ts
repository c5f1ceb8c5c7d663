// The README's generated blocks (CLI output, the accuracy table) match what the commands print now.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

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

describe("README codes", () => {
  it("documents every error, warning and suggestion code src/contract/facts.ts declares, and no other", () => {
    const read = (p: string) => readFileSync(new URL(p, import.meta.url), "utf8");
    const facts = read("../src/contract/facts.ts");
    const readme = read("../README.md");
    for (const [iface, kind] of [
      ["IssueData", "error"],
      ["WarningData", "warning"],
      ["SuggestionData", "suggestion"],
    ]) {
      const body = facts.slice(facts.indexOf(`export interface ${iface} {`));
      const declared = [
        ...body.slice(0, body.indexOf("\n}\n")).matchAll(/^ {2}"?([a-z][a-z-]*)"?: /gm),
      ].map((m) => m[1]);
      const table = readme.slice(readme.indexOf(`| ${kind} \`code\` |`));
      const documented = [
        ...table.slice(0, table.indexOf("\n\n")).matchAll(/^\| `([a-z-]+)` \|/gm),
      ].map((m) => m[1]);
      expect(declared.length).toBeGreaterThan(5);
      expect(documented).toEqual(declared);
    }
  });
});
