// Regenerates the README's generated blocks from the commands that produce them:
//   <!-- BEGIN name: command --> ... <!-- END name -->
// Run after `npm run build`: node scripts/update-readme.mjs  (--check exits 1 if stale, skipping "bench";
// --no-bench keeps the bench block, for a machine that is not idle).
import { readFileSync, writeFileSync } from "node:fs";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = `${root}README.md`;
const check = process.argv.includes("--check");
const text = readFileSync(file, "utf8");
const block = /<!-- BEGIN ([\w-]+): (.+?) -->\n```\n([\s\S]*?)```\n<!-- END \1 -->/g;
let stale = [];
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
  if (fresh !== body) stale.push(name);
  return `<!-- BEGIN ${name}: ${command} -->\n\`\`\`\n${fresh}\`\`\`\n<!-- END ${name} -->`;
});
if (check) {
  if (stale.length) {
    console.log(
      `README blocks out of date: ${stale.join(", ")} (run node scripts/update-readme.mjs)`,
    );
    process.exitCode = 1;
  } else console.log("README blocks are current");
} else {
  writeFileSync(file, out);
  console.log(stale.length ? `updated: ${stale.join(", ")}` : "README blocks already current");
}
