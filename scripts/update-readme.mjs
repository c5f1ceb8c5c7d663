// Regenerates the README's generated blocks from the commands that produce them:
//   <!-- BEGIN name: command --> ... <!-- END name -->
// Run: node scripts/update-readme.mjs  (--check exits 1 if stale, skipping "bench"; --no-bench keeps
// the bench block, for a machine that is not idle). The blocks run the built package, so a build
// older than its sources is rebuilt first (--check refuses it): the blocks are the current code's.
// Every block but bench is deterministic: searches stop at a plan count, never at a time, unless a
// command sets budget.ms (none does).
import { readFileSync, writeFileSync, statSync, readdirSync } from "node:fs";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = `${root}README.md`;
const check = process.argv.includes("--check");

const mtime = (p) => statSync(`${root}${p}`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const newest = (dir) =>
  Math.max(
    ...readdirSync(`${root}${dir}`, { recursive: true })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => mtime(`${dir}/${f}`)),
  );
const stale = [
  ["build/chipscale.wasm", newest("assembly")],
  ["build/src/index.js", Math.max(newest("src"), mtime("assembly/layout.ts"))],
].filter(([out, source]) => mtime(out) < source);
if (stale.length) {
  const what = stale.map(([out]) => out).join(", ");
  if (check) {
    console.log(`${what} older than its sources: run npm run build first`);
    process.exit(1);
  }
  console.log(`${what} older than its sources: npm run build`);
  execSync("npm run build", { cwd: root, stdio: "inherit" });
}
const text = readFileSync(file, "utf8");
const block = /<!-- BEGIN ([\w-]+): (.+?) -->\n```\n([\s\S]*?)```\n<!-- END \1 -->/g;
const changed = [];
/** A block command's output; exit 3 (`feasible`'s NOT FEASIBLE verdict) is an answer too. */
function run(command) {
  try {
    return execSync(command, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
  } catch (e) {
    if (e.status === 3) return e.stdout;
    throw e;
  }
}
const out = text.replace(block, (whole, name, command, body) => {
  if ((check || process.argv.includes("--no-bench")) && name === "bench") return whole; // timings differ run to run
  const fresh = run(command).trimEnd() + "\n";
  if (fresh !== body) changed.push(name);
  return `<!-- BEGIN ${name}: ${command} -->\n\`\`\`\n${fresh}\`\`\`\n<!-- END ${name} -->`;
});
if (check) {
  if (changed.length) {
    console.log(
      `README blocks out of date: ${changed.join(", ")} (run node scripts/update-readme.mjs)`,
    );
    process.exitCode = 1;
  } else console.log("README blocks are current");
} else {
  writeFileSync(file, out);
  console.log(changed.length ? `updated: ${changed.join(", ")}` : "README blocks already current");
}
