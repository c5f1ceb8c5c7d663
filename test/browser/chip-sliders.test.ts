// The chip sliders, the rules beside the chip and the frontier view, end to end: Vite dev server
// + headless Chromium. `npm test` builds the library first.
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

/** The answer's figures (days, step, plan, memory, power), in the page: what a chip figure can change. */
function answerDigest(): string | null {
  const r = document.querySelector("#result");
  if (!r || r.classList.contains("busy") || !document.querySelector("#days")) return null;
  return ["days", "step-time", "plan-text", "mem-used", "verdict-text"]
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" | ");
}

/** The answer's figures once it is settled. */
async function settled(page: Page): Promise<string> {
  const h = await page.waitForFunction(answerDigest, undefined, { timeout: 30_000 });
  return (await h.jsonValue()) as string;
}

/** Waits until the settled answer's figures differ from `before` (or equal them, with `same`). */
async function answerBecomes(page: Page, before: string, same = false): Promise<string> {
  const h = await page.waitForFunction(
    ([b, s]) => {
      // answerDigest, inlined: the page's CSP forbids evaluating a passed-in source.
      const r = document.querySelector("#result");
      if (!r || r.classList.contains("busy") || !document.querySelector("#days")) return false;
      const d = ["days", "step-time", "plan-text", "mem-used", "verdict-text"]
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" | ");
      return (d === b) === s ? d : false;
    },
    [before, same] as const,
    { timeout: 30_000 },
  );
  return (await h.jsonValue()) as string;
}

/** Moves a slider to a position, as a hand does (input events). */
async function moveSlider(page: Page, id: string, position: number): Promise<void> {
  await page.$eval(
    `#${id}`,
    (el, pos) => {
      (el as HTMLInputElement).value = String(pos);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    position,
  );
}

describe.skipIf(!HAVE_CHROMIUM)("chip sliders in Chromium", () => {
  let vite: ChildProcess | undefined;
  let browser: Browser | undefined;
  let base = "";
  const problems: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    vite = spawn(
      `${root}node_modules/.bin/vite`,
      ["--config", "vite.config.ts", "--port", String(port), "--strictPort", "--host", "127.0.0.1"],
      { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    vite.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    vite.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(base)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 600 || vite.exitCode !== null) throw new Error(`vite did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
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

  async function open(query: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${base}${query}`);
    await page.waitForSelector("#chip-tpp", { timeout: 60_000 });
    return page;
  }

  it("each chip slider changes the answer, and its reset brings the catalog's back", async () => {
    const page = await open("?model=llama3-70b&chip=nvidia-h100-sxm5-80gb&count=8192&tokens=15");
    const figures = [
      "bf16Tflops",
      "hbmGB",
      "hbmTBps",
      "scaleUpGBps",
      "scaleUpDomain",
      "scaleOutGbps",
      "tdpW",
      "fp8Tflops", // last: it moves an FP8 run
    ];
    for (const key of figures) {
      if (key === "fp8Tflops") {
        const before = await settled(page);
        await page.selectOption("#precision", "fp8");
        await answerBecomes(page, before);
      }
      const before = await settled(page);
      // Low on the slider: a fraction of the catalog figure.
      await moveSlider(page, `figSlider-${key}`, 150);
      const after = await answerBecomes(page, before);
      expect(after, key).not.toBe(before);
      expect(await page.$eval(`#figChange-${key}`, (e) => e.textContent), key).toMatch(
        /-\d+(\.\d+)?% vs H100/,
      );
      await page.click(`#figReset-${key}`);
      expect(await answerBecomes(page, before, true), key).toBe(before);
      expect(await page.$eval(`#figChange-${key}`, (e) => e.textContent), key).toMatch(/catalog/);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the TPP and class text change when a slider crosses a threshold", async () => {
    const page = await open("?model=llama3-70b&chip=nvidia-h20-96gb&count=8192&tokens=15");
    const oct2023 = () =>
      page.$eval('#chip-rules .rules li[data-rule="oct2023"]', (e) => e.getAttribute("data-class"));
    expect(await oct2023()).toBe("not controlled");
    expect(await page.$("#chip-crossings")).toBeNull();
    // 148 -> 160 TFLOPS BF16: TPP 2,560, over 2,400 at PD 3.14: 3A090.b.
    await page.fill("#fig-bf16Tflops", "160");
    await page.waitForFunction(
      () =>
        document
          .querySelector('#chip-rules .rules li[data-rule="oct2023"]')
          ?.getAttribute("data-class") === "3A090.b",
    );
    expect(await page.$eval("#chip-tpp", (e) => e.textContent)).toMatch(/TPP 2,560/);
    expect(await page.$eval("#chip-crossings", (e) => e.textContent)).toContain(
      "TPP 2,560: now 3A090.b under ECCN 3A090 (Oct 2023)",
    );
    // Back under: the crossing goes.
    await page.click("#figReset-bf16Tflops");
    await page.waitForFunction(() => document.querySelector("#chip-crossings") === null);
    expect(await oct2023()).toBe("not controlled");
    // Press claims beside the figure, with sources: the H20's NVLink 900 vs the press's 400.
    const claims = await page.$eval("#figClaims-scaleUpGBps", (e) => e.textContent);
    expect(claims).toMatch(/900 \(source: h20_smbom\)/);
    expect(claims).toMatch(/400 \(source: press quote/);
    await page.close();
  });

  it("a link restores the modified chip", async () => {
    const page = await open("?model=llama3-70b&chip=nvidia-h20-96gb&count=8192&tokens=15");
    const before = await settled(page);
    await page.fill("#fig-hbmTBps", "6");
    await page.fill("#fig-scaleUpDomain", "72");
    const changed = await answerBecomes(page, before);
    expect(await page.$eval("#figChange-hbmTBps", (e) => e.textContent)).toBe(
      "HBM 6 TB/s, +50% vs H20 HGX SXM 96GB",
    );
    // The link is written after each answer: wait until it holds both figures.
    await page.waitForFunction(
      () => /hbmTBps=6/.test(location.hash) && /scaleUpDomain=72/.test(location.hash),
    );
    const link = page.url();
    expect(link).toMatch(/scaleUpDomain=72/);
    const again = await open(link.slice(base.length));
    expect(await settled(again)).toBe(changed);
    expect(await again.$eval("#fig-hbmTBps", (e) => (e as HTMLInputElement).value)).toBe("6");
    expect(await again.$eval("#figChange-hbmTBps", (e) => e.textContent)).toBe(
      "HBM 6 TB/s, +50% vs H20 HGX SXM 96GB",
    );
    expect(problems).toEqual([]);
    await page.close();
    await again.close();
  });

  it("the frontier view names the best chip Oct 2023 allows, draws it, and names a bad bound", async () => {
    const page = await open(
      "?model=llama3-70b&chip=nvidia-h100-sxm5-80gb&count=8192&tokens=15&globalBatch=2048",
    );
    await settled(page);
    expect(await page.$eval("#frontierRule", (e) => (e as HTMLSelectElement).value)).toBe(
      "oct2023",
    );
    await page.click("#frontierGo");
    await page.waitForSelector("#frontier-best", { timeout: 60_000 });
    const best = await page.$eval("#frontier-best", (e) => e.textContent);
    expect(best).toContain("dense BF16 150 TFLOPS");
    expect(best).toContain("TPP 2,399, PD 2.95, not controlled. Held by TPP just under 2,400");
    expect(await page.$eval("#frontier-days", (e) => e.textContent)).toMatch(
      /^On 8,192 of these chips the scenario trains in .* 65,536 of these chips \(8 per H100 SXM5 80GB\) train as fast\.$/,
    );
    expect(
      Number(await page.$eval("#chart-frontier", (e) => (e as HTMLElement).dataset.points)),
    ).toBeGreaterThan(0);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#frontier-csv")]);
    const csv = readFileSync(await dl.path(), "utf8");
    expect(csv).toMatch(/^best,nvidia-h100-sxm5-80gb,2399,/m);
    expect(csv).toMatch(/^catalog,nvidia-h20-96gb,2368,[\d.]+,not controlled$/m);
    await page.fill("#bound-hbmTBps", "fast");
    await page.click("#frontierGo");
    await page.waitForSelector('#frontier [data-bound="hbmTBps"] .error:not([hidden])');
    expect(await page.inputValue("#bound-hbmTBps")).toBe("fast"); // what was typed stays
    expect(problems).toEqual([]);
    await page.close();
  });

  it("sweeps a chip figure, with CSV and PNG export", async () => {
    const page = await open("?model=llama3-70b&chip=nvidia-h20-96gb&count=8192&tokens=15");
    await settled(page);
    await page.selectOption("#figSweepAxis", "scaleUpGBps");
    await page.click("#figSweepGo");
    await page.waitForFunction(
      () => Number((document.querySelector("#chart-figure") as HTMLElement).dataset.points) > 0,
      undefined,
      { timeout: 60_000 },
    );
    // The catalog's 900 GB/s is a point, and marked.
    expect(await page.$eval("#chart-figure", (e) => (e as HTMLElement).dataset.marker)).toMatch(
      /^900,/,
    );
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#figSweep-csv")]);
    const csv = readFileSync(await dl.path(), "utf8");
    expect(csv).toContain("sweep: training against scaleUpGBps");
    expect(csv).toMatch(/^scaleUpGBps,days,effectiveDays,energyMWh/m);
    const rows = csv.split("\n").filter((l) => /^\d/.test(l));
    expect(rows.length).toBe(9); // 225 to 3,600 GB/s, log-spaced: the middle one is the current 900
    const days = rows.map((r) => Number(r.split(",")[1]));
    expect(days[0]).toBeGreaterThan(days[days.length - 1]); // a slower link, a longer run
    const [png] = await Promise.all([page.waitForEvent("download"), page.click("#figSweep-png")]);
    expect(png.suggestedFilename()).toBe("chipscale-figure-sweep.png");
    expect(problems).toEqual([]);
    await page.close();
  });
});
