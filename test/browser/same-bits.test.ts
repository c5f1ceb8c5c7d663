// The built library gives the same bits in Chromium as in Node: the same wasm, the same facade.
// Serves build/ as static files (no bundler), so this checks the package as an embedder gets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import fc from "fast-check";
import { simulator, validScenario } from "../helpers.js";
import type { Scenario } from "chipscale";
// @ts-expect-error plain JavaScript module shared with bench/fuzz.mjs
import { mutatedScenario } from "../../bench/fuzz-arbitraries.mjs";

const CHROMIUM = "/usr/bin/chromium";
const build = fileURLToPath(new URL("../../build/", import.meta.url));
const TYPES: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm" };

describe.skipIf(!existsSync(CHROMIUM))("the library in Chromium and in Node", () => {
  let server: Server;
  let browser: Browser;
  let origin = "";

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = normalize(
        join(build, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)),
      );
      if (!path.startsWith(build) || !existsSync(path) || !TYPES[extname(path)]) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": TYPES[extname(path)] }).end(readFileSync(path));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it("simulate returns identical JSON (every float bit) for 400 generated scenarios (valid and mutated) and a search", async () => {
    const scenarios: unknown[] = [
      ...fc.sample(validScenario, { numRuns: 300, seed: 7 }),
      ...fc.sample(mutatedScenario, { numRuns: 100, seed: 7 }),
    ];
    scenarios.push({
      model: "llama3-70b",
      training: { tokens: 15e12, seqLen: 8192, globalBatch: 1024 },
      cluster: { chip: "nvidia-h20-96gb", count: 8192 },
      parallelism: "auto",
    });
    const page = await browser.newPage();
    await page.goto(`${origin}/src/index.js`); // any same-origin page will do
    await page.evaluate(
      (list) => {
        (globalThis as unknown as { scenarios: unknown }).scenarios = list;
      },
      JSON.parse(JSON.stringify(scenarios)),
    );
    // A string, so the test runner's transform does not rewrite the page's dynamic import.
    const inBrowser: string[] = await page.evaluate(`(async () => {
      const sim = await (await import("/src/index.js")).load();
      return globalThis.scenarios.map((s) => JSON.stringify(sim.simulate(s)));
    })()`);
    const sim = await simulator();
    const inNode = scenarios.map((s) =>
      JSON.stringify(sim.simulate(JSON.parse(JSON.stringify(s)))),
    );
    expect(inBrowser.length).toBe(inNode.length);
    let oks = 0;
    for (let k = 0; k < inNode.length; k++) {
      expect(inBrowser[k], `scenario ${k}`).toBe(inNode[k]);
      if (inNode[k].startsWith('{"ok":true')) oks++;
    }
    expect(oks).toBeGreaterThan(250); // the comparison covers real results, not only errors
    await page.close();
  });

  it("createPool runs inside a Web Worker and answers as the main-thread search does", async () => {
    const scenario = {
      model: "gpt3-175b",
      training: { tokens: 3e11, seqLen: 2048, globalBatch: 1536 },
      cluster: { chip: "nvidia-a100-sxm4-80gb", count: 1024 },
      parallelism: "auto",
    } satisfies Scenario;
    const page = await browser.newPage();
    await page.goto(`${origin}/src/index.js`);
    // The worker is a module from a blob: it imports the package by absolute URL, as a page
    // without a bundler would, and its pool spawns nested workers next to pool.js.
    const fromWorker: string = await page.evaluate(`new Promise((resolve, reject) => {
      const code = \`
        const lib = await import("${origin}/src/index.js");
        const pool = await lib.createPool(2);
        const r = await pool.search(${JSON.stringify(scenario)});
        postMessage(JSON.stringify({ size: pool.size, best: r.ok ? r.best : r }));
        pool.close();
      \`;
      const w = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => reject(new Error(e.message || "worker failed"));
    })`);
    const got = JSON.parse(fromWorker);
    const sim = await simulator();
    const r = sim.search(scenario);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(got.size).toBe(2);
    expect(JSON.stringify(got.best)).toBe(JSON.stringify(JSON.parse(JSON.stringify(r.best))));
    await page.close();
  });
});
