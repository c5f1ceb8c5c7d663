// The Serve tab end to end: Vite dev server + headless Chromium, as test/browser/page.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, HAVE_CHROMIUM, startDevServer, type DevServer } from "./dev-server.js";

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
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDevServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url);
    // The page wires its tabs once the catalog has loaded: wait for the first answer.
    await page.locator("#days").waitFor({ timeout: 60_000 });
    await page.click("#tab-serve");
    await page.locator("#view-serve").waitFor({ state: "visible" });
  });

  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it("serves the form's model with the most requests that fit, and the training-vs-serving table", async () => {
    const auto = await shownBatch(page);
    expect(auto).toBeGreaterThan(0);
    const text = (await page.locator("#serve-out").textContent()) ?? "";
    expect(text).toMatch(/tokens\/s per chip/);
    expect(text).toMatch(/per million tokens/);
    await page.locator("#serve-compare-out tbody tr").first().waitFor({ timeout: 30_000 });
    // Chips by name (the id in the row's data and tooltip), not by raw id.
    const h20 = page.locator('#serve-compare-out tbody th[data-chip="nvidia-h20-96gb"]');
    expect(await h20.textContent()).toBe("H20 HGX SXM 96GB");
    expect(await h20.getAttribute("title")).toContain("nvidia-h20-96gb");
  });

  it("the training-vs-serving table serves the form's model, precision and context", async () => {
    const captionShows = (text: string) =>
      page.waitForFunction(
        (t) => document.querySelector("#serve-compare-out caption")?.textContent?.includes(t),
        text,
        { timeout: 30_000 },
      );
    await captionShows(`serving ${await page.inputValue("#model")} (fp8, 2,048 in / 512 out)`);
    await page.selectOption("#serve-precision", "bf16");
    await page.fill("#serve-inputTokens", "4096");
    await captionShows("(bf16, 4,096 in / 512 out)");
    await page.selectOption("#serve-precision", "fp8");
    await page.fill("#serve-inputTokens", "2048");
    await shownBatch(page, 2048);
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

  it("keeps the tab's inputs in the page link and restores them from it", async () => {
    await page.selectOption("#serve-precision", "bf16");
    await page.selectOption("#serve-stack", "vllm-rocm");
    await page.fill("#serve-inputTokens", "4,096");
    await page.fill("#serve-outputTokens", "300");
    await page.fill("#serve-batch", "24");
    await page.fill("#serve-tpotMs", "60");
    const want = {
      servePrecision: "bf16",
      serveStack: "vllm-rocm",
      serveInputTokens: "4,096",
      serveOutputTokens: "300",
      serveBatch: "24",
      serveTpotMs: "60",
    };
    // The link is saved a moment after the last edit: read the fragment once it has all of them.
    const link = await page.waitForFunction(
      (w) => {
        const q = new URLSearchParams(location.hash.slice(1));
        return Object.entries(w).every(([k, v]) => q.get(k) === v) ? location.href : false;
      },
      want,
      { timeout: 10_000 },
    );
    const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    other.on("pageerror", (e) => problems.push(`page error (restored link): ${e.message}`));
    await other.goto((await link.jsonValue()) as string);
    // The link opens the Serve tab (view=serve) once the page has loaded its catalog.
    await other.locator("#view-serve").waitFor({ state: "visible", timeout: 60_000 });
    // Typed text comes back as typed; the sliders follow it; the result is served from it.
    expect(await other.inputValue("#serve-precision")).toBe("bf16");
    expect(await other.inputValue("#serve-stack")).toBe("vllm-rocm");
    expect(await other.inputValue("#serve-inputTokens")).toBe("4,096");
    expect(await other.inputValue("#serve-outputTokens")).toBe("300");
    expect(await other.inputValue("#serve-batch")).toBe("24");
    expect(await other.inputValue("#serve-tpotMs")).toBe("60");
    expect(await other.inputValue("#serve-batch-range")).toBe("24");
    await other.waitForFunction(
      () => {
        const t = document.querySelector("#serve-out table.serve-result");
        return (
          t?.getAttribute("data-input-tokens") === "4096" &&
          t.getAttribute("data-batch") === "24" &&
          t.getAttribute("data-stack") === "vllm-rocm"
        );
      },
      undefined,
      { timeout: 30_000 },
    );
    expect(await other.locator("#serve-out").textContent()).toContain("vLLM on ROCm");
    await other.close();
    // Back to the defaults the other tests read.
    await page.selectOption("#serve-precision", "fp8");
    await page.selectOption("#serve-stack", "");
    await page.fill("#serve-outputTokens", "512");
    await page.fill("#serve-batch", "auto");
    await page.fill("#serve-tpotMs", "");
    await page.fill("#serve-inputTokens", "2048");
    await shownBatch(page, 2048);
  });

  it("a link's bad serve value is dropped with a message naming it, the rest kept", async () => {
    const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    await other.goto(`${server!.url}#view=serve&serveInputTokens=1024&serveStack=nope`);
    await other.locator("#url-message").waitFor({ state: "visible", timeout: 60_000 });
    expect(await other.locator("#url-message").textContent()).toContain("serveStack");
    expect(await other.inputValue("#serve-inputTokens")).toBe("1024");
    expect(await other.inputValue("#serve-stack")).toBe("");
    await other.close();
  });

  it("logged no console errors and no uncaught page errors", () => {
    expect(problems).toEqual([]);
  });
});
