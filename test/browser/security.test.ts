// The page's security headers and long links, in a real browser (issue 20): the CSP arrives as a
// header with frame-ancestors and no inline style, the page still works under it with no violation,
// and a link far past the server's 16 KB header limit keeps its state in the fragment, so the page
// loads and says the link is too long instead of the server answering HTTP 431.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
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

/** Collects CSP violations from the first script on: the page's own listeners come too late. */
const WATCH_CSP = () => {
  const w = window as unknown as { cspViolations: string[] };
  w.cspViolations = [];
  addEventListener("securitypolicyviolation", (e) =>
    w.cspViolations.push(`${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}`),
  );
};

const days = (page: Page) =>
  page.waitForFunction(
    () => /\d[\d,.]* d\b/.test(document.querySelector("#result")?.textContent ?? ""),
    undefined,
    { timeout: 60_000 },
  );

describe.skipIf(!existsSync(CHROMIUM))("security headers and long links", () => {
  let vite: ChildProcess | undefined;
  let browser: Browser | undefined;
  let url = "";

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    vite = spawn(
      `${root}node_modules/.bin/vite`,
      ["--config", "vite.config.ts", "--port", String(port), "--strictPort", "--host", "127.0.0.1"],
      { cwd: root, detached: true, stdio: "ignore" },
    );
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
  }, 90_000);

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

  it("sends the CSP as a header: frame-ancestors, no inline style, connections only back home", async () => {
    const res = await fetch(url);
    const csp = res.headers.get("content-security-policy") ?? "";
    const directive = (name: string) =>
      csp
        .split(";")
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive("style-src")).toBe("style-src 'self'");
    expect(directive("connect-src")).toBe("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // The same policy as a <meta> for hosts that send no header (frame-ancestors works only as a header).
    const html = await res.text();
    expect(html).toContain('http-equiv="Content-Security-Policy"');
  });

  it("the page works under the policy: an answer, uPlot's styles, no violation, no console error", async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(WATCH_CSP);
    try {
      await page.goto(url);
      await days(page);
      // uPlot's stylesheet arrives as CSS, not as a <style> a script injects (which the CSP refuses).
      await page.locator(".u-legend").first().waitFor({ timeout: 30_000 });
      const legendAlign = await page.evaluate(
        () => getComputedStyle(document.querySelector(".u-legend")!).textAlign,
      );
      expect(legendAlign).toBe("center");
      // Bars sized through the CSSOM, which the CSP allows (style attributes are refused).
      expect(
        await page.evaluate(() => document.querySelectorAll("[style]").length),
      ).toBeGreaterThan(0);
      expect(
        await page.evaluate(() => (window as never as { cspViolations: string[] }).cspViolations),
      ).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("a 500 KB link keeps its state in the fragment: the page loads and says it is too long", async () => {
    const page = await browser!.newPage();
    try {
      // A query this long gets HTTP 431 from the server; a fragment never reaches it.
      await page.goto(`${url}#model=${"A".repeat(500_000)}`, { waitUntil: "commit" });
      await page.locator("#url-message").waitFor({ state: "visible", timeout: 60_000 });
      expect(await page.locator("#url-message").textContent()).toMatch(/too long/);
      await days(page);
      // The page writes its own state back into the fragment, never into the query.
      await page.waitForFunction(() => location.hash.includes("model="), undefined, {
        timeout: 10_000,
      });
      expect(await page.evaluate(() => location.search)).toBe("");
    } finally {
      await page.close();
    }
  }, 120_000);
});
