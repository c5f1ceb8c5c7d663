// The page under test: a Vite dev server of this checkout on a free port, started in its own process
// group (so stop() ends it and whatever it started), and the Debian Chromium the browser tests drive.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const root = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface DevServer {
  url: string;
  /** What the server printed so far. */
  log: () => string;
  stop: () => void;
}

/** Starts `vite` on a free port and resolves once the page answers (60 s at most). */
export async function startDevServer(ms = 60_000): Promise<DevServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const vite = spawn(
    `${root}node_modules/.bin/vite`,
    ["--config", "vite.config.ts", "--port", String(port), "--strictPort", "--host", "127.0.0.1"],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  vite.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  vite.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const server: DevServer = {
    url,
    log: () => out,
    stop: () => {
      if (vite.pid === undefined || vite.exitCode !== null) return;
      try {
        process.kill(-vite.pid, "SIGTERM"); // the process group of the vite we spawned
      } catch {
        // already gone
      }
    },
  };
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (vite.exitCode !== null) throw new Error(`vite exited with ${vite.exitCode}:\n${out}`);
    try {
      if ((await fetch(url)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.stop();
  throw new Error(`vite did not answer at ${url} within ${ms} ms:\n${out}`);
}

/** The Debian Chromium, headless, as the browser tests drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
}
