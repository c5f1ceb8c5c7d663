// The UI end to end: Vite dev server + headless Chromium. `npm test` builds the library first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const root = fileURLToPath(new URL("../../", import.meta.url));

if (!HAVE_CHROMIUM) console.warn(`test/browser/page.test.ts: skipped, ${CHROMIUM} not found (apt-get install chromium)`);

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

async function waitForHttp(url: string, child: ChildProcess, log: () => string, ms = 60_000): Promise<void> {
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

/** The number shown in #days, or NaN while there is none. */
async function days(page: Page): Promise<number> {
  const text = await page.locator("#days").textContent({ timeout: 1000 }).catch(() => null);
  return text === null ? NaN : Number(text.replace(/,/g, ""));
}

describe.skipIf(!HAVE_CHROMIUM)(`web UI in Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} not found)`}`, () => {
  let vite: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url = "";
  let viteLog = "";
  const problems: string[] = []; // console errors and uncaught page errors

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    vite = spawn(`${root}node_modules/.bin/vite`, ["--config", "vite.config.ts", "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
      cwd: root,
      detached: true, // its own process group, so afterAll can stop it and anything it started
      stdio: ["ignore", "pipe", "pipe"],
    });
    vite.stdout?.on("data", (d: Buffer) => { viteLog += d.toString(); });
    vite.stderr?.on("data", (d: Buffer) => { viteLog += d.toString(); });
    await waitForHttp(url, vite, () => viteLog);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console.error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url);
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

  it("shows a positive, finite number of days for the default scenario", async () => {
    await page.waitForFunction(() => {
      const t = document.querySelector("#days")?.textContent;
      return t != null && Number.isFinite(Number(t.replace(/,/g, "")));
    }, undefined, { timeout: 30_000 });
    const d = await days(page);
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBeGreaterThan(0);
    // The pickers come from the library's catalog, with specs; unknown specs never read as 0.
    expect(await page.locator("#model option").count()).toBeGreaterThan(5);
    expect(await page.locator("#chip option").count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator("#chip-specs").textContent()).toMatch(/TFLOPS/);
    expect(await page.locator("#result").textContent()).toMatch(/MFU/);
  });

  it("recomputes when the chip count changes: twice the chips, fewer days", async () => {
    const before = await days(page);
    const count = Number(await page.inputValue("#count"));
    expect(count).toBeGreaterThan(0);
    await page.fill("#count", String(count * 2));
    await page.waitForFunction((prev) => {
      const t = document.querySelector("#days")?.textContent;
      const d = t == null ? NaN : Number(t.replace(/,/g, ""));
      return Number.isFinite(d) && d !== prev && !document.querySelector("#result")?.classList.contains("busy");
    }, before, { timeout: 30_000 });
    const after = await days(page);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before * 0.8); // roughly half; strong scaling is never perfect
    expect(after).toBeGreaterThan(before * 0.3);
  });

  it("shows an invalid count's error at the field, naming it, and keeps what was typed", async () => {
    for (const bad of ["-5", "0"]) {
      await page.fill("#count", bad);
      const error = page.locator("#count-error");
      await error.waitFor({ state: "visible", timeout: 30_000 });
      await expect.poll(() => error.textContent()).toContain(`got ${bad}`);
      expect(await error.textContent()).toContain("cluster.count");
      expect(await page.inputValue("#count")).toBe(bad);
      expect(await page.getAttribute("#count", "aria-invalid")).toBe("true");
      // The result area says so too, and shows no stale days.
      expect(await page.locator("#errors").textContent()).toContain("cluster.count");
      expect(await page.locator("#days").count()).toBe(0);
    }
    // Fixing the value brings the result back and clears the error.
    await page.fill("#count", "1024");
    await page.locator("#days").waitFor({ timeout: 30_000 });
    expect(await page.locator("#count-error").isHidden()).toBe(true);
    expect(await days(page)).toBeGreaterThan(0);
  });

  it("checks a manual plan and shows plan errors in the plan section", async () => {
    await page.selectOption("#planMode", "manual");
    await page.locator("#tp").waitFor({ state: "visible" });
    // Prefilled from the plan just shown, so it still computes.
    await expect.poll(() => page.inputValue("#tp")).not.toBe("");
    await page.locator("#days").waitFor({ timeout: 30_000 });
    await page.fill("#tp", "3");
    const error = page.locator("#manual-error");
    await error.waitFor({ state: "visible", timeout: 30_000 });
    await expect.poll(() => error.textContent()).toContain("parallelism.tp");
    expect(await page.inputValue("#tp")).toBe("3");
    await page.selectOption("#planMode", "auto");
    await page.locator("#days").waitFor({ timeout: 30_000 });
  });

  it("logged no console errors and no uncaught page errors", () => {
    expect(problems).toEqual([]);
  });
});
