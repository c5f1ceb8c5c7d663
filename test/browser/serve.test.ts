// The Serve tab end to end: Vite dev server + headless Chromium, as test/browser/page.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const root = fileURLToPath(new URL("../../", import.meta.url));

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

async function waitForHttp(
  url: string,
  child: ChildProcess,
  log: () => string,
  ms = 60_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`vite exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite did not answer at ${url} within ${ms} ms:\n${log()}`);
}

/** The batch of the shown result, once one is shown (for `input` prompt tokens, if given). */
async function shownBatch(page: Page, input?: number): Promise<number> {
  await page.waitForFunction(
    (w) => {
      const t = document.querySelector("#serve-out table.serve-result");
      return t !== null && (w === null || t.getAttribute("data-input-tokens") === String(w));
    },
    input ?? null,
    { timeout: 30_000 },
  );
  return Number(await page.getAttribute("#serve-out table.serve-result", "data-batch"));
}

async function downloaded(page: Page, button: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return readFileSync(await dl.path(), "utf8");
}

describe.skipIf(!HAVE_CHROMIUM)("Serve tab in Chromium", () => {
  let vite: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let viteLog = "";
  const problems: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    vite = spawn(
      `${root}node_modules/.bin/vite`,
      ["--config", "vite.config.ts", "--port", String(port), "--strictPort", "--host", "127.0.0.1"],
      { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    vite.stdout?.on("data", (d: Buffer) => (viteLog += d.toString()));
    vite.stderr?.on("data", (d: Buffer) => (viteLog += d.toString()));
    await waitForHttp(url, vite, () => viteLog);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url);
    // The page wires its tabs once the catalog has loaded: wait for the first answer.
    await page.locator("#days").waitFor({ timeout: 60_000 });
    await page.click("#tab-serve");
    await page.locator("#view-serve").waitFor({ state: "visible" });
  });

  afterAll(async () => {
    await browser?.close();
    if (vite?.pid !== undefined && vite.exitCode === null) {
      try {
        process.kill(-vite.pid, "SIGTERM"); // the process group of the vite we spawned
      } catch {
        // already gone
      }
    }
  });

  it("serves the form's model with the most requests that fit, and the training-vs-serving table", async () => {
    const auto = await shownBatch(page);
    expect(auto).toBeGreaterThan(0);
    const text = (await page.locator("#serve-out").textContent()) ?? "";
    expect(text).toMatch(/tokens\/s per chip/);
    expect(text).toMatch(/per million tokens/);
    await page.locator("#serve-compare-out tbody tr").first().waitFor({ timeout: 30_000 });
    expect(await page.locator("#serve-compare-out tbody th").allTextContents()).toContain(
      "nvidia-h20-96gb",
    );
  });

  it("the batch slider sets the batch, and a longer context never holds more requests", async () => {
    await page.locator("#serve-batch-range").fill("16");
    expect(await page.inputValue("#serve-batch")).toBe("16");
    await page.waitForFunction(
      () =>
        document.querySelector("#serve-out table.serve-result")?.getAttribute("data-batch") ===
        "16",
      undefined,
      { timeout: 30_000 },
    );
    await page.locator("#serve-batch-range").fill("0");
    expect(await page.inputValue("#serve-batch")).toBe("auto");
    await page.locator("#serve-inputTokens-range").fill("1024");
    const short = await shownBatch(page, 1024);
    await page.locator("#serve-inputTokens-range").fill("16384");
    expect(await page.inputValue("#serve-inputTokens")).toBe("16384");
    expect(await shownBatch(page, 16384)).toBeLessThan(short);
    await page.locator("#serve-inputTokens-range").fill("2048");
    await shownBatch(page, 2048);
  });

  it("names a bad field and keeps what was typed", async () => {
    await page.fill("#serve-inputTokens", "lots");
    await page.locator('#serve-out [data-path="serving.inputTokens"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#serve-out").textContent()).toContain("serving.inputTokens");
    expect(await page.inputValue("#serve-inputTokens")).toBe("lots");
    await page.fill("#serve-inputTokens", "2048");
    await shownBatch(page, 2048);
  });

  it("exports the shown result as CSV and JSON", async () => {
    const csv = await downloaded(page, "#serve-csv");
    expect(csv).toContain("costPerMillionTokensUSD");
    expect(csv).toContain("scenario.serving.inputTokens,2048");
    const json = JSON.parse(await downloaded(page, "#serve-json"));
    expect(json.serve.ok).toBe(true);
    expect(json.scenario.serving.inputTokens).toBe(2048);
    expect(json.serve.tpotMs).toBeGreaterThan(0);
  });

  it("logged no console errors and no uncaught page errors", () => {
    expect(problems).toEqual([]);
  });
});
