#!/usr/bin/env node
// Serves the UI (web/) with Vite on 127.0.0.1. `npm start` builds the library first.
// PORT=8080 npm start  picks another port; the port is strict, so the printed URL is the real one.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const host = "127.0.0.1";
const port = Number(process.env.PORT ?? 5173);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be an integer port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const vite = `${root}node_modules/.bin/vite`;
if (!existsSync(vite)) {
  console.error("node_modules/.bin/vite is missing: run npm install first");
  process.exit(1);
}
if (!existsSync(`${root}build/chipscale.wasm`)) {
  console.error("build/chipscale.wasm is missing: run npm run build first (npm start does both)");
  process.exit(1);
}

const url = `http://${host}:${port}/`;
const child = spawn(
  vite,
  ["--config", `${root}vite.config.ts`, "--host", host, "--port", String(port), "--strictPort"],
  {
    cwd: root,
    stdio: "inherit",
  },
);

// Print our line once the server answers, so it is the last thing on screen.
let stopped = false;
(async () => {
  for (let i = 0; i < 600 && !stopped; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        console.log(`\n  chipscale UI: ${url}\n  (Ctrl-C to stop)\n`);
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
})();

const stop = (sig) => {
  stopped = true;
  if (child.exitCode === null) child.kill(sig);
};
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stop(sig));
// Killing `npm start` by its PID kills npm, not always the shell and this script under it:
// when the process that started us is gone, take Vite down too instead of serving orphaned.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stop("SIGTERM");
  }
}, 500).unref();
child.on("exit", (code, signal) => {
  stopped = true;
  process.exit(code ?? (signal ? 0 : 1));
});
child.on("error", (e) => {
  console.error(`could not start vite: ${e.message}`);
  process.exit(1);
});
