// The UI end to end: Vite dev server + headless Chromium. `npm test` builds the library first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHIP_FIGURES, findChip, load } from "chipscale";
import { CHROMIUM, HAVE_CHROMIUM, root, startDevServer, type DevServer } from "./dev-server.js";
import { days as fmtDays, sig } from "../../web/format.js";

// A long task this long means work on the page's thread (a search there takes seconds), not a slow frame.
const LONG_TASK_MS = 250;

if (!HAVE_CHROMIUM)
  console.warn(
    `test/browser/page.test.ts: skipped, ${CHROMIUM} not found (apt-get install chromium)`,
  );

const SHOTS = `${root}test-results/screenshots/`;
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Waits until the live answer is settled (not busy) and shows days; returns them. */
async function settledDays(page: Page, timeout = 30_000): Promise<number> {
  // Read in the same evaluation that saw the answer settled: a separate read can land mid-render.
  const settled = await page.waitForFunction(
    () => {
      const t = document.querySelector("#days")?.textContent;
      const d = t == null ? NaN : Number(t.replace(/,/g, ""));
      return Number.isFinite(d) && !document.querySelector("#result")?.classList.contains("busy")
        ? d
        : false;
    },
    undefined,
    { timeout },
  );
  return (await settled.jsonValue()) as number;
}

/** Clicks a download button; returns the file's text. */
async function downloaded(page: Page, button: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return readFileSync(await dl.path(), "utf8");
}

/** Words in a table's cells wider than the cell's content box: broken letter by letter, or clipped. */
async function brokenWords(page: Page, table: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    const probe = document.createElement("span");
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap";
    document.body.append(probe);
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>(`${sel} th, ${sel} td`))) {
      const cs = getComputedStyle(cell);
      const room = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      // Warnings (.hint) quote the library's ids ("huawei-cloudmatrix-384's"): those may break.
      for (const el of [cell, ...Array.from(cell.querySelectorAll<HTMLElement>("*:not(.hint)"))]) {
        const own = Array.from(el.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? "")
          .join(" ");
        // Property by property: the "font" shorthand reads "" where font-variant-numeric is set.
        const fs = getComputedStyle(el);
        for (const k of [
          "fontFamily",
          "fontSize",
          "fontWeight",
          "fontStyle",
          "letterSpacing",
          "fontVariantNumeric",
        ] as const)
          probe.style[k] = fs[k];
        for (const word of own.split(/\s+/).filter(Boolean)) {
          probe.textContent = word;
          if (probe.getBoundingClientRect().width > room + 1) out.push(word);
        }
      }
    }
    probe.remove();
    return out;
  }, table);
}

/** The number shown in #days, or NaN while there is none. */
async function days(page: Page): Promise<number> {
  const text = await page
    .locator("#days")
    .textContent({ timeout: 1000 })
    .catch(() => null);
  return text === null ? NaN : Number(text.replace(/,/g, ""));
}

describe.skipIf(!HAVE_CHROMIUM)(
  `web UI in Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} not found)`}`,
  () => {
    let server: DevServer | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let url = "";
    const problems: string[] = []; // console errors and uncaught page errors

    beforeAll(async () => {
      server = await startDevServer();
      url = server.url;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: LAUNCH_ARGS,
      });
      mkdirSync(SHOTS, { recursive: true });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      await page.goto(url);
    });

    afterAll(async () => {
      await browser?.close();
      server?.stop();
    });

    it("shows a positive, finite number of days for the default scenario", async () => {
      // Read in the evaluation that saw the days: a separate read can land mid-render under load.
      const shown = await page.waitForFunction(
        () => {
          const t = document.querySelector("#days")?.textContent;
          const d = t == null ? NaN : Number(t.replace(/,/g, ""));
          return Number.isFinite(d) ? d : false;
        },
        undefined,
        { timeout: 30_000 },
      );
      const d = (await shown.jsonValue()) as number;
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBeGreaterThan(0);
      // The pickers come from the library's catalog, with specs; unknown specs never read as 0.
      expect(await page.locator("#model option").count()).toBeGreaterThan(5);
      expect(await page.locator("#chip option").count()).toBeGreaterThan(5);
      await expect.poll(() => page.locator("#chip-specs").textContent()).toMatch(/TFLOPS/);
      expect(await page.locator("#result").textContent()).toMatch(/MFU/);
    });

    it("breaks the step down into bubble, exposed communication by dimension and stragglers", async () => {
      const rows = await page.waitForFunction(
        () => {
          const cells = Array.from(document.querySelectorAll("#step-table tr"), (tr) =>
            Array.from(tr.children, (c) => c.textContent ?? ""),
          );
          return cells.some((c) => c[0] === "Stragglers") ? cells : false;
        },
        undefined,
        { timeout: 30_000 },
      );
      const cells = (await rows.jsonValue()) as string[][];
      const labels = cells.map((c) => c[0]);
      expect(labels).toEqual(["Compute", "Pipeline bubble", "Exposed communication", "Stragglers"]);
      // The default scenario runs on many chips: the slowest rank costs a positive time.
      const stragglers = cells.find((c) => c[0] === "Stragglers")!;
      expect(stragglers[1]).toMatch(/^[\d.,]+ (s|ms|µs)$/);
      expect(stragglers[1]).not.toMatch(/^0 /);
      await expect.poll(() => page.locator("#step .legend").textContent()).toMatch(/Stragglers/);
    });

    it("recomputes when the chip count changes: twice the chips, fewer days", async () => {
      const before = await days(page);
      const count = Number(await page.inputValue("#count"));
      expect(count).toBeGreaterThan(0);
      await page.fill("#count", String(count * 2));
      await page.waitForFunction(
        (prev) => {
          const t = document.querySelector("#days")?.textContent;
          const d = t == null ? NaN : Number(t.replace(/,/g, ""));
          return (
            Number.isFinite(d) &&
            d !== prev &&
            !document.querySelector("#result")?.classList.contains("busy")
          );
        },
        before,
        { timeout: 30_000 },
      );
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
        // No curves of the last valid scenario: a note instead.
        for (const id of ["#chart-scaling", "#chart-energy"]) {
          expect(await page.locator(`${id} .chart-note`).textContent()).toBe(
            "No chart: fix the scenario above.",
          );
          expect(await page.locator(`${id} canvas`).count()).toBe(0);
        }
      }
      await page.screenshot({ path: `${SHOTS}invalid.png`, fullPage: true });
      // Fixing the value brings the result back and clears the error.
      await page.fill("#count", "1024");
      await page.locator("#days").waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () => Number((document.querySelector("#chart-scaling") as HTMLElement).dataset.points) > 0,
        undefined,
        { timeout: 60_000 },
      );
      expect(await page.locator("#chart-scaling .chart-note").count()).toBe(0);
      expect(await page.locator("#count-error").isHidden()).toBe(true);
      expect(await days(page)).toBeGreaterThan(0);
    });

    it("offers the fastest count at or below it that a plan divides when the typed one has none", async () => {
      await page.fill("#count", "50000");
      const use = page.locator("#use-count");
      await use.waitFor({ timeout: 30_000 });
      // At the count, which is what to change, not at the plan picker.
      expect(await page.locator("#count-error").textContent()).toContain("no plan divides");
      expect(await page.getAttribute("#count", "aria-invalid")).toBe("true");
      expect(await page.locator("#parallelism-error").isHidden()).toBe(true);
      const offered = Number(((await use.textContent()) ?? "").replace(/[^\d]/g, ""));
      expect(offered).toBeGreaterThanOrEqual(8);
      expect(offered).toBeLessThan(50_000);
      expect(await page.locator("#best-count").textContent()).toMatch(
        /trains in [\d.,]+ (d|years) with failures at [\d.]+ [kMG]?W/,
      );
      await use.click();
      expect(Number(await page.inputValue("#count"))).toBe(offered);
      expect(await settledDays(page)).toBeGreaterThan(0);
      await page.fill("#count", "1024");
      await settledDays(page);
    });

    it("offers a count no plan divides a smaller one in one sentence, named like the banner names it", async () => {
      // Llama 3 70B, batch 1,024, H100: no plan divides 5,000, and 8,192 chips are faster than 4,096
      // (so no "more chips do not help"). Nothing is used yet: no "asked → used" note.
      await page.fill("#count", "5000");
      const offer = page.locator("#best-count");
      await offer.locator("#use-count").waitFor({ timeout: 30_000 });
      expect(await offer.textContent()).toBe(
        "No plan divides 5,000 chips for this model and batch. The fastest count at or below it that one does, 4,096, trains in 36.8 d with failures at 5.18 MW. Use 4,096 chips",
      );
      expect(await page.locator("#best-count .count-note").count()).toBe(0);
      // The error at the count is labelled with the field the banner's button names.
      expect(await page.locator("#count-error code").allTextContents()).toEqual(["cluster.count"]);
      expect(await page.locator("#errors .jump").allTextContents()).toEqual(["cluster.count"]);
      await page.fill("#count", "1024");
      await settledDays(page);
    });

    it("puts 'can use at most N chips' at the chip count (and the batch), with the fastest usable count one click away", async () => {
      await page.fill("#count", "1e6");
      const use = page.locator("#use-count");
      await use.waitFor({ timeout: 30_000 });
      expect(await page.locator("#count-error").textContent()).toContain(
        "can use at most 655,360 chips",
      );
      expect(await page.locator("#globalBatch-error").textContent()).toContain(
        "can use at most 655,360 chips",
      );
      expect(await page.getAttribute("#count", "aria-invalid")).toBe("true");
      expect(await page.locator("#parallelism-error").isHidden()).toBe(true);
      expect(await page.locator("#errors .jump").allTextContents()).toEqual([
        "cluster.count",
        "training.globalBatch",
      ]);
      // Not the largest usable count (655,360 never finishes: failures outpace checkpoints) but the
      // fastest with failures, and its days with failures.
      expect(await use.textContent()).toBe("Use 32,768 chips");
      expect(await page.locator("#best-count").textContent()).toBe(
        "At this batch the model can use at most 655,360 chips. The fastest count up to that with a plan, 32,768, trains in 23.8 d with failures at 41.5 MW. More chips do not help at this batch. Use 32,768 chips",
      );
      expect(await page.locator("#count-error code").allTextContents()).toEqual(["cluster.count"]);
      expect(await page.inputValue("#count")).toBe("1e6");
      await use.click();
      expect(await page.inputValue("#count")).toBe("32768");
      expect(await settledDays(page)).toBeGreaterThan(0);
      // A batch of 3 sequences: at most 3 x 8 x 80 = 1,920 chips; 96 finish first.
      await page.fill("#count", "2048");
      await page.fill("#globalBatch", "3");
      await expect
        .poll(
          () =>
            page
              .locator("#use-count")
              .textContent({ timeout: 1000 })
              .catch(() => ""),
          { timeout: 30_000 },
        )
        .toBe("Use 96 chips");
      expect(await page.locator("#best-count").textContent()).toContain(
        "96, trains in 17.1 years with failures",
      );
      expect(await page.locator("#count-error").textContent()).toContain(
        "can use at most 1,920 chips",
      );
      await page.fill("#globalBatch", "1024");
      await page.fill("#count", "1024");
      await settledDays(page);
    });

    it("exports an invalid scenario's errors from the Answer tab, field by field", async () => {
      await page.fill("#count", "abc");
      await page.locator("#count-error").waitFor({ state: "visible", timeout: 30_000 });
      const json = JSON.parse(await downloaded(page, "#export-json"));
      expect(json.result).toBeNull();
      expect(json.errors).toEqual([
        {
          path: "cluster.count",
          code: "wrong-type",
          data: { expected: "a finite number", got: 'the string "abc"' },
          message: 'must be a finite number, got the string "abc"',
        },
      ]);
      const csv = await downloaded(page, "#export-csv");
      expect(csv).toContain(
        '\nerrors.0.path,cluster.count\nerrors.0.message,"must be a finite number, got the string ""abc"""\nerrors.0.code,wrong-type\n',
      );
      await page.fill("#count", "1024");
      await settledDays(page);
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
      // A product that is not the chip count can be fixed at the plan or at the count: shown at both.
      await page.fill("#tp", "8");
      await page.fill("#dp", String(Number(await page.inputValue("#dp")) * 2));
      await expect
        .poll(() => page.locator("#count-error").textContent())
        .toContain("must equal cluster.count");
      expect(await error.textContent()).toContain("must equal cluster.count");
      await page.selectOption("#planMode", "auto");
      await page.locator("#days").waitFor({ timeout: 30_000 });
    });

    it("a manual plan can recompute the norms and projections: DeepSeek-V3's published plan then fits an H800", async () => {
      await settledDays(page);
      const before = {
        model: await page.inputValue("#model"),
        chip: await page.inputValue("#chip"),
        count: await page.inputValue("#count"),
        seqLen: await page.inputValue("#seqLen"),
        globalBatch: await page.inputValue("#globalBatch"),
        precision: await page.inputValue("#precision"),
      };
      await page.selectOption("#model", "deepseek-v3");
      await page.selectOption("#precision", "fp8");
      await page.selectOption("#chip", "nvidia-h800-sxm5-80gb");
      await page.fill("#count", "2048");
      await page.fill("#seqLen", "4096");
      await page.fill("#globalBatch", "15360");
      await page.selectOption("#planMode", "manual");
      for (const [id, v] of [
        ["tp", "1"],
        ["pp", "16"],
        ["dp", "128"],
        ["cp", "1"],
        ["ep", "64"],
        ["vpp", "1"],
        ["microBatch", "1"],
      ])
        await page.fill(`#${id}`, v);
      await page.selectOption("#zero", "1");
      const recomputeShown = () => page.locator("#plan dt:text-is('Recompute') + dd").textContent();
      await page.selectOption("#recompute", "selective");
      await expect.poll(recomputeShown, { timeout: 30_000 }).toBe("selective");
      await settledDays(page);
      expect(await page.locator("#warnings").textContent()).toMatch(
        /memory: needs \d+(\.\d+)? GB per chip/,
      );
      await page.selectOption("#recompute", "modules");
      await expect
        .poll(recomputeShown, { timeout: 30_000 })
        .toBe("none + norms, MLA up-projections, MoE activation");
      await settledDays(page);
      const warnings = page.locator("#warnings");
      expect((await warnings.count()) ? await warnings.textContent() : "").not.toMatch(
        /memory:|recomputeModules/,
      );
      // DeepSeek-V3 ran DualPipe: its all-to-all beside compute finishes sooner than after it.
      const serial = await settledDays(page);
      await page.selectOption("#allToAll", "overlapped");
      await expect.poll(() => days(page), { timeout: 30_000 }).toBeLessThan(serial);
      await page.screenshot({ path: `${SHOTS}recompute-modules.png`, fullPage: true });
      await page.selectOption("#allToAll", "serial");
      // A dense GQA model has no norm output of its own to drop: the library says why nothing changed.
      await page.fill("#ep", "1");
      await page.selectOption("#model", "llama3-8b");
      await expect
        .poll(
          async () =>
            (await page.locator("#warnings").count())
              ? page.locator("#warnings").textContent()
              : "",
          { timeout: 30_000 },
        )
        .toMatch(/"layernorm" dropped: this model's norms are fused into the GEMMs after them/);
      await page.selectOption("#planMode", "auto");
      await page.selectOption("#model", before.model);
      await page.selectOption("#chip", before.chip);
      await page.selectOption("#precision", before.precision);
      for (const id of ["count", "seqLen", "globalBatch"] as const)
        await page.fill(`#${id}`, before[id]);
      await settledDays(page);
    });

    it("moves the log-scale count slider by keyboard: the count, the answer and the chart marker change", async () => {
      await page.selectOption("#planMode", "auto");
      await page.fill("#count", "2048");
      const before = await settledDays(page);
      // The sweep (best plan at each count, per chip) has drawn the chart.
      await page.waitForFunction(
        () =>
          Number((document.querySelector("#chart-scaling") as HTMLElement | null)?.dataset.points) >
          0,
        undefined,
        { timeout: 60_000 },
      );
      const markerBefore = await page.getAttribute("#chart-scaling", "data-marker");
      await page.focus("#countSlider");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.inputValue("#count")).toBe("4096");
      await page.waitForFunction(
        (prev) => {
          const t = document.querySelector("#days")?.textContent;
          return (
            t != null &&
            Number(t.replace(/,/g, "")) !== prev &&
            !document.querySelector("#result")?.classList.contains("busy")
          );
        },
        before,
        { timeout: 30_000 },
      );
      expect(await days(page)).toBeLessThan(before);
      await expect
        .poll(() => page.getAttribute("#chart-scaling", "data-marker"))
        .not.toBe(markerBefore);
      expect(await page.getAttribute("#chart-scaling", "data-marker")).toMatch(/^4096,/);
      // The chart plots days with failures, as the page's comparisons do: above the failure-free days shown.
      const markedDays = Number(
        (await page.getAttribute("#chart-scaling", "data-marker"))!.split(",")[1],
      );
      expect(markedDays).toBeGreaterThan(await days(page));
      // The scaling chart drew a series per chip (the picked one and the reference chips).
      expect(
        Number(await page.getAttribute("#chart-scaling", "data-points")),
      ).toBeGreaterThanOrEqual(4 * 16);
      expect(Number(await page.getAttribute("#chart-energy", "data-points"))).toBe(2 * 16); // energy and power
      expect(await page.getAttribute("#chart-scaling", "aria-label")).toMatch(
        /marked: 4,096 chips/,
      );
      await page.screenshot({ path: `${SHOTS}answer.png`, fullPage: true });
    });

    it("supersedes stale sweeps: after quick chip changes the chart shows the last chip first", async () => {
      for (const chip of [
        "nvidia-h20-96gb",
        "amd-mi300x",
        "nvidia-b200-hgx",
        "nvidia-h200-sxm-141gb",
      ])
        await page.selectOption("#chip", chip);
      await page.waitForFunction(
        () =>
          (
            document.querySelector("#chart-scaling") as HTMLElement | null
          )?.dataset.series?.startsWith("H200"),
        undefined,
        { timeout: 60_000 },
      );
      expect(await page.inputValue("#chip")).toBe("nvidia-h200-sxm-141gb");
      // Each reference chip keeps its colour whichever chip is picked; a picked chip outside them is blue.
      const colours = () => page.getAttribute("#chart-scaling", "data-colours");
      expect(await colours()).toBe("--c1|--c5|--c4|--c3|--c2");
      await settledDays(page);
      expect(await page.locator("#result .summary").textContent()).toContain("H200");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await page.waitForFunction(
        () =>
          (
            document.querySelector("#chart-scaling") as HTMLElement | null
          )?.dataset.series?.startsWith("H100"),
        undefined,
        { timeout: 60_000 },
      );
      expect(await colours()).toBe("--c5|--c4|--c3|--c2");
      await settledDays(page);
    });

    it("has no main-thread long task over 50 ms while the slider moves", async () => {
      await settledDays(page);
      await page.evaluate(() => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__long.push(e.duration);
        }).observe({ type: "longtask" });
      });
      await page.focus("#countSlider");
      for (let i = 0; i < 12; i++) await page.keyboard.press(i < 6 ? "ArrowRight" : "ArrowLeft");
      await settledDays(page);
      await expect.poll(() => page.inputValue("#count")).toBe("4096");
      const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      // A frozen page, not frame timing: this file shares 2 cores with the other test files, so a
      // render can take 100+ ms here; the 50 ms budget is measured idle by npm run bench:ui.
      expect(long.filter((d) => d > LONG_TASK_MS)).toEqual([]);
      // The structural check: the page itself never loads the core; only its workers do.
      expect(
        await page.evaluate(
          () =>
            performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length,
        ),
      ).toBe(0);
    });

    it("states a verdict in words and checks the goals", async () => {
      await settledDays(page);
      await expect
        .poll(() => page.locator("#verdict-text").textContent())
        .toMatch(/^Fits in [\d.,]+ (d|years).* at [\d.]+ [kMG]?W$/);
      await page.fill("#deadline", "1");
      await expect
        .poll(
          () =>
            page
              .locator("#verdict-goals")
              .textContent({ timeout: 1000 })
              .catch(() => ""),
          { timeout: 30_000 },
        )
        .toMatch(/misses the 1-day deadline/);
      expect(await page.getAttribute("#verdict", "class")).toContain("bad");
      // The library's feasibility search suggests what would meet it.
      await page.locator("#suggestions li").first().waitFor({ timeout: 60_000 });
      await page.fill("#deadline", "abc");
      const error = page.locator("#deadline-error");
      await error.waitFor({ state: "visible", timeout: 30_000 });
      expect(await error.textContent()).toContain("constraints.deadlineDays");
      await page.fill("#deadline", "");
      await settledDays(page);
    });

    it("says in the verdict when far fewer chips finish as fast or sooner (from the sweep)", async () => {
      await page.selectOption("#model", "llama3-70b");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      for (const [id, v] of [
        ["tokens", "15"],
        ["seqLen", "8192"],
        ["globalBatch", "1024"],
        ["count", "16384"],
      ])
        await page.fill(`#${id}`, v);
      await settledDays(page);
      const note = page.locator("#verdict-returns");
      await note.waitFor({ timeout: 60_000 });
      // With failures 16,384 chips take 25.4 d against 25.1 d on 8,192, so 8,192 finish "sooner"; and
      // 32,768 are faster still (23.8 d), so not "more chips do not help".
      expect(await note.textContent()).toBe(
        "8,192 chips finish sooner (25.1 d with failures) at 10.4 MW.",
      );
      // A count that never finishes: the verdict and the tile say so, and the note names the
      // fastest swept count, above which nothing is faster.
      for (const [count, without] of [
        ["393216", "32.1 d"],
        ["655360", "36.2 d"],
      ]) {
        await page.fill("#count", count);
        await settledDays(page);
        await expect
          .poll(() => note.textContent({ timeout: 1000 }).catch(() => ""), { timeout: 60_000 })
          .toBe(
            "32,768 chips finish sooner (23.8 d with failures) at 41.5 MW: more chips do not help at this batch.",
          );
        expect(await page.locator("#verdict-text").textContent()).toBe(
          `Never finishes: at ${Number(count).toLocaleString("en-US")} chips failures arrive faster than checkpoints can be written (goodput 0; ${without} without failures, at ${count === "393216" ? "498" : "829"} MW)`,
        );
        expect(await page.getAttribute("#verdict", "class")).toContain("bad");
        expect(await page.locator("#days-card").textContent()).toBe("never finishes");
        expect(await page.locator("#days-card + .sub").textContent()).toBe(
          `failures outpace checkpoints; ${without} without failures`,
        );
      }
      await page.fill("#count", "2048"); // the curve still falls here
      await settledDays(page);
      expect(await note.count()).toBe(0);
      // Much faster, not as fast: 16,384 H20s take 314 d with failures where 24,576 take 424 d; no
      // swept count above 16,384 is faster than it, so more chips do not help.
      await page.selectOption("#model", "llama3-405b");
      await page.selectOption("#chip", "nvidia-h20-96gb");
      for (const [id, v] of [
        ["tokens", "15"],
        ["globalBatch", "2048"],
        ["count", "24576"],
      ])
        await page.fill(`#${id}`, v);
      await settledDays(page);
      await expect
        .poll(() => note.textContent({ timeout: 1000 }).catch(() => ""), { timeout: 60_000 })
        .toBe(
          "16,384 chips finish sooner (314 d with failures) at 14.2 MW: more chips do not help at this batch.",
        );
    });

    it("words the band as a range earned by published runs, in the value's unit, naming the stack and run count", async () => {
      await page.selectOption("#model", "llama3-405b");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await page.fill("#count", "256"); // a run of years
      await settledDays(page);
      expect(await page.locator("#days-card").textContent()).toMatch(/ years$/);
      const band = page.locator("#days-card + .sub .band");
      // Megatron-Core on Hopper: the cross-validated error of its 14 grade-A runs (src/calibration/stacks.fit.ts).
      expect(await band.textContent()).toMatch(/^range [\d.]+–[\d.]+ years, 14 published runs$/);
      expect(await band.getAttribute("title")).toContain(
        "cross-validated error of 14 published runs of Megatron-Core",
      );
      expect(await page.locator("#energy + .sub .band").textContent()).toMatch(
        /^range [\d.]+–[\d.]+ GWh, 14 published runs$/,
      );
      const line = page.locator("#stack-line");
      expect(await line.getAttribute("data-status")).toBe("calibrated");
      expect(await line.textContent()).toContain("Megatron-Core");
      expect(await line.textContent()).toContain("the chip's usual stack");
      // The user names the stack: LLM Foundry's FSDP has 3 runs on Hopper chips.
      const before = await band.textContent();
      await page.selectOption("#stack", "pytorch-fsdp");
      await expect
        .poll(() => band.textContent(), { timeout: 60_000 })
        .toMatch(/^range [\d.]+–[\d.]+ years, 3 published runs$/);
      expect(await band.textContent()).not.toBe(before);
      expect(await line.textContent()).toContain("PyTorch FSDP");
      // The link is written after the answer: wait for it rather than read it at once.
      await expect.poll(() => page.url(), { timeout: 10_000 }).toContain("stack=pytorch-fsdp");
      await page.selectOption("#stack", "");
      await page.fill("#count", "2048");
      await settledDays(page);
      expect(await band.textContent()).toMatch(/^range [\d.]+–[\d.]+ d, 14 published runs$/);
      // No published run of MindSpeed on Ascend: said, with the widest band.
      await page.selectOption("#chip", "huawei-ascend-910c");
      await expect
        .poll(() => line.getAttribute("data-status"), { timeout: 60_000 })
        .toBe("uncalibrated");
      expect(await band.textContent()).toMatch(/^uncalibrated range [\d.]+–[\d.]+ d$/);
      expect(await band.getAttribute("title")).toContain(
        "uncalibrated: no published run of MindSpeed",
      );
      // Its held-out runs on the 910B (never fitted) are named beside the band.
      expect(await line.textContent()).toMatch(
        /3 held-out published runs, never fitted, came out \+\d+% to \+\d+%/,
      );
      expect(await band.getAttribute("title")).toContain("held out: 3 published runs");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await settledDays(page);
      // The data centre's inputs line up, though "Electricity $/kWh" wraps.
      const tops = await page.evaluate(() =>
        ["pue", "grid", "price"].map(
          (id) => document.getElementById(id)!.getBoundingClientRect().top,
        ),
      );
      expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(1);
    });

    it("keeps the scenario in the URL and restores it from a link", async () => {
      await page.selectOption("#model", "llama3-405b");
      await page.selectOption("#chip", "nvidia-h20-96gb");
      await page.fill("#count", "8192");
      await page.fill("#pue", "1.4");
      const d = await settledDays(page);
      await page.waitForFunction(
        () => location.hash.includes("count=8192") && location.hash.includes("pue=1.4"),
        undefined,
        { timeout: 10_000 },
      );
      const link = page.url();
      const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await other.goto(link);
        const d2 = await settledDays(other);
        expect(d2).toBe(d);
        expect(await other.inputValue("#model")).toBe("llama3-405b");
        expect(await other.inputValue("#chip")).toBe("nvidia-h20-96gb");
        expect(await other.inputValue("#count")).toBe("8192");
        expect(await other.inputValue("#pue")).toBe("1.4");
        expect(await other.locator("#url-message").isHidden()).toBe(true);
        // A link's own training values win over the preset's published ones.
        await other.goto(`${url}?model=llama3-405b&tokens=2&globalBatch=512`);
        await settledDays(other);
        expect([await other.inputValue("#tokens"), await other.inputValue("#globalBatch")]).toEqual(
          ["2", "512"],
        );
      } finally {
        await other.close();
      }
    });

    it("shows a message for a malformed or hostile link and never runs what it carries", async () => {
      const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      other.on("pageerror", (e) => errors.push(e.message));
      try {
        const bad =
          "?count=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&model=%3Cscript%3Ewindow.__pwned%3D2%3C%2Fscript%3E&bogus=1&chip=nvidia-h100-sxm5-80gb";
        await other.goto(`${url}${bad}`);
        const msg = other.locator("#url-message");
        await msg.waitFor({ state: "visible", timeout: 30_000 });
        const text = (await msg.textContent()) ?? "";
        expect(text).toContain("count:");
        expect(text).toContain("model:");
        expect(text).toContain("bogus");
        // The rest still works: defaults where the link was bad, and an answer.
        expect(await settledDays(other)).toBeGreaterThan(0);
        expect(await other.inputValue("#count")).toBe("2048");
        expect(
          await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
        ).toBeUndefined();
        expect(await other.locator("img[src='x'], #url-message script").count()).toBe(0);
        await other.screenshot({ path: `${SHOTS}bad-link.png` });
        expect(errors).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it("compares clusters side by side, and offers a count a plan divides", async () => {
      await page.selectOption("#model", "llama3-70b");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await page.fill("#count", "2048");
      await settledDays(page);
      await page.click("#tab-compare");
      const table = page.locator("#compare-table");
      await table.waitFor({ timeout: 60_000 });
      expect(await page.locator("#compare-table thead th").count()).toBe(4); // a label column and three clusters
      const text = (await table.textContent()) ?? "";
      expect(text).toContain("16,384 × H100");
      expect(text).toMatch(/no plan divides/);
      // The count used instead is said at the number, with the count asked, in one note; the Note
      // row neither repeats it nor offers the count already shown.
      const h20 = page.locator("#compare-table thead th").nth(2);
      expect(await h20.textContent()).toMatch(
        /^2\. ([\d,]+) × H20 HGX SXM 96GBasked 110,000 → \1 used: no plan divides 110,000 chips at this batch; \1 is the fastest count at or below it(, and more chips do not help at this batch)?$/,
      );
      const h20Note = page.locator("#compare-table tbody tr").last().locator("td").nth(1);
      expect(await h20Note.locator("button").count()).toBe(0);
      expect(await h20Note.textContent()).not.toMatch(/no plan divides|power of two/);
      await page.locator("#compare-out").screenshot({ path: `${SHOTS}compare-count-note.png` });
      await page.waitForFunction(() => location.hash.includes("view=compare"), undefined, {
        timeout: 10_000,
      });
      await page.screenshot({ path: `${SHOTS}compare.png`, fullPage: true });
      // The comparison exports on its own tab: three clusters, each with an answer.
      const csv = await downloaded(page, "#compare-csv");
      expect(csv).toMatch(/^compare: clusters side by side\nchip,count asked,count shown,/m);
      expect(csv).toMatch(/^nvidia-h100-sxm5-80gb,16384,16384,/m);
      const json = JSON.parse(await downloaded(page, "#compare-json"));
      expect(json.compare).toHaveLength(3);
      // Numbers as numbers, null for none; the text typed kept beside.
      expect(
        json.compare.map((c: Record<string, unknown>) => [
          c.count,
          c.countTyped,
          c.system,
          c.shownCount,
        ]),
      ).toEqual([
        [16384, "16384", null, 16384],
        [110000, "110000", null, json.compare[1].shownCount],
        [3072, "3072", "huawei-cloudmatrix-384", 3072],
      ]);
      expect(json.compare[1].shownCount).toBeLessThan(110_000);
      expect(json.compare.every((c: { result: unknown }) => c.result !== null)).toBe(true);
      expect(csv).toMatch(
        /^chip,count asked,count shown,system,days,effectiveDays,powerMW,energyMWh,co2Tonnes,costUSD,costBasis,mfu,errors$/m,
      );
      expect(csv).toMatch(
        /^huawei-ascend-910c,3072,3072,huawei-cloudmatrix-384,[^\n]*,electricity only,/m,
      );
      expect(await table.textContent()).toMatch(/\$[\d.]+ [kMB] \(electricity only\)/); // Ascend 910C has no catalog price
    });

    it("shows a compare row's invalid count at its input, never NaN, and keeps what was typed", async () => {
      const table = page.locator("#compare-table");
      for (const bad of ["abc", "", "-5", "2048.5", "-3"]) {
        await page.fill("#cmp-count-2", bad);
        const error = page.locator("#cmp-count-error-2");
        await expect
          .poll(() => error.textContent(), { timeout: 60_000 })
          .toContain("cluster.count");
        expect(await error.isVisible()).toBe(true);
        expect(await page.getAttribute("#cmp-count-2", "aria-invalid")).toBe("true");
        expect(await page.inputValue("#cmp-count-2")).toBe(bad);
        // Red like the form's fields.
        await page.locator("#cmp-count-2").blur();
        expect(
          await page.evaluate(
            () => getComputedStyle(document.getElementById("cmp-count-2")!).borderTopColor,
          ),
        ).toBe("rgb(198, 40, 40)");
        await expect
          .poll(() => page.locator("#compare-table thead th").nth(2).textContent())
          .toBe("2. H20 HGX SXM 96GBno valid count: see cluster 2's count");
        expect(await table.textContent()).not.toContain("NaN");
      }
      await page.fill("#cmp-count-2", "16384");
      await expect
        .poll(() => page.locator("#cmp-count-error-2").isHidden(), { timeout: 60_000 })
        .toBe(true);
      expect(await page.getAttribute("#cmp-count-2", "aria-invalid")).toBeNull();
    });

    it("says at a compare column when fewer chips of that kind finish sooner", async () => {
      // Its own page, from a link: Llama 3 70B and three clusters (H20 at 16,384), then a fourth added.
      const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await other.goto(
          `${url}?model=llama3-70b&chip=nvidia-h100-sxm5-80gb&count=2048&globalBatch=1024&view=compare&cmp=nvidia-h100-sxm5-80gb*16384*~nvidia-h20-96gb*16384*~huawei-ascend-910c*3072*huawei-cloudmatrix-384`,
        );
        await other.locator("#compare-table").waitFor({ timeout: 60_000 });
        // GB200 x 6,912 has a plan (pp 27), but 4,096 GB200s finish sooner; and 8,192 sooner still.
        await other.click("#compare-add");
        const note = other.locator("#compare-table thead th").nth(4).locator(".fewer-note");
        await expect
          .poll(() => note.textContent({ timeout: 1000 }).catch(() => ""), { timeout: 60_000 })
          .toMatch(/^4,096 chips finish sooner \([\d.]+ d with failures\) at [\d.]+ MW$/);
        expect(await other.locator("#compare-table thead th").nth(4).textContent()).toMatch(
          /^4\. 6,912 × GB200/,
        );
        // The clusters share the width: the first one's system name takes at most two lines.
        const widths = await other.evaluate(() =>
          Array.from(document.querySelectorAll("#compare-table thead th"))
            .slice(1)
            .map((th) => th.getBoundingClientRect().width),
        );
        expect(Math.max(...widths) - Math.min(...widths)).toBeLessThan(2);
        const system = other.locator("#compare-table tbody tr").nth(1).locator("td").first();
        const lineHeight = await system.evaluate((td) =>
          parseFloat(getComputedStyle(td).lineHeight),
        );
        expect((await system.boundingBox())!.height).toBeLessThan(3 * lineHeight + 14);
        await other.locator("#compare-out").screenshot({ path: `${SHOTS}compare-fewer.png` });
        const use = other.locator("#compare-table tbody button", { hasText: "Use 4,096" });
        await use.click();
        await expect.poll(() => other.inputValue("#cmp-count-4")).toBe("4096");
      } finally {
        await other.close();
      }
    });

    it("restores compare rows from a link row by row, typed counts kept, and marks a cluster that never finishes", async () => {
      const other = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
      try {
        // Typed counts that are not plain digits survive the link; a bad one stays at its input with its error.
        await other.goto(
          `${url}?view=compare&cmp=nvidia-h100-sxm5-80gb*1%2C000*~nvidia-h20-96gb*2048.5*~huawei-ascend-910c*-3*huawei-cloudmatrix-384`,
        );
        await other.locator("#compare-table").waitFor({ timeout: 60_000 });
        expect(await other.locator("#url-message").isHidden()).toBe(true);
        expect([
          await other.inputValue("#cmp-count-1"),
          await other.inputValue("#cmp-count-2"),
          await other.inputValue("#cmp-count-3"),
        ]).toEqual(["1,000", "2048.5", "-3"]);
        await expect
          .poll(() => other.locator("#cmp-count-error-2").textContent(), { timeout: 60_000 })
          .toBe("cluster.count must be an integer, got 2048.5");
        expect(await other.locator("#cmp-count-error-3").textContent()).toBe(
          "cluster.count must be an integer >= 1, got -3",
        );
        expect(await other.locator("#compare-table thead th").allTextContents()).toEqual([
          "",
          "1. 896 × H100 SXM5 80GBasked 1,000 → 896 used: no plan divides 1,000 chips at this batch; 896 is the fastest count at or below it",
          "2. H20 HGX SXM 96GBno valid count: see cluster 2's count",
          "3. Ascend 910Cno valid count: see cluster 3's count",
        ]);
        // 393,216 H100s never finish: the bar and its label say so; the fastest column (by days with
        // failures) gets its badge though its count (32,768 for 50,000) was used instead of the one asked.
        await other.goto(
          `${url}?view=compare&cmp=nvidia-h100-sxm5-80gb*393216*~nvidia-h100-sxm5-80gb*50000*`,
        );
        await other.locator("#compare-table").waitFor({ timeout: 60_000 });
        await expect
          .poll(() => other.locator(".hbars").getAttribute("aria-label"), { timeout: 60_000 })
          .toBe("Training days with failures per cluster: 1: never finishes, 2: 23.8 d");
        expect(await other.locator(".hbar-value").allTextContents()).toEqual([
          "never finishes",
          "23.8 d",
        ]);
        expect(await other.locator(".hbar-fill.never").count()).toBe(1);
        const notes = other.locator("#compare-table tbody tr").last().locator("td");
        expect(await notes.nth(0).locator(".badge").count()).toBe(0);
        expect(await notes.nth(1).locator(".badge").textContent()).toBe("fastest");
        expect(await other.locator("#compare-table tbody tr").nth(2).textContent()).toBe(
          "Training time, with failuresnever finishes23.8 d",
        );
        expect(
          await other
            .locator("#compare-table thead th")
            .nth(1)
            .locator(".fewer-note")
            .textContent(),
        ).toBe(
          "32,768 chips finish sooner (23.8 d with failures) at 41.5 MW: more chips do not help at this batch",
        );
        await other.locator("#compare-out").screenshot({ path: `${SHOTS}compare-never.png` });
      } finally {
        await other.close();
      }
    });

    it("sets a preset's published training on choosing it, with its source, and leaves the fields for presets without one", async () => {
      await page.click("#tab-answer");
      await page.fill("#globalBatch", "512");
      await page.selectOption("#model", "llama3-405b");
      expect([
        await page.inputValue("#tokens"),
        await page.inputValue("#seqLen"),
        await page.inputValue("#globalBatch"),
      ]).toEqual(["15.6", "8192", "2048"]);
      const note = page.locator("#model-training");
      expect(await note.textContent()).toContain(
        "Llama 3.1 405B's published training: 15.6T tokens, 8,192-token sequences, 2,048 per batch.",
      );
      await note.locator("summary").click();
      expect(await note.locator("details").textContent()).toMatch(/arXiv:2407\.21783/);
      await settledDays(page);
      // Llama 3 70B publishes no batch: the batch typed stays.
      await page.fill("#globalBatch", "1536");
      await page.selectOption("#model", "llama3-70b");
      expect([await page.inputValue("#tokens"), await page.inputValue("#globalBatch")]).toEqual([
        "15",
        "1536",
      ]);
      expect(await note.textContent()).toMatch(/batch unpublished/);
      // Nemotron-4 15B publishes none of it: nothing changes, no note.
      await page.fill("#tokens", "3");
      await page.selectOption("#model", "nemotron4-15b");
      expect(await page.inputValue("#tokens")).toBe("3");
      expect(await note.isHidden()).toBe(true);
      await page.selectOption("#model", "llama3-70b");
      await page.fill("#globalBatch", "1024");
      await settledDays(page);
    });

    it("answers the match question: how many H20s match 8,192 H100s for Llama 3 405B, at what power", async () => {
      await page.click("#tab-answer");
      await page.selectOption("#model", "llama3-405b");
      await page.fill("#tokens", "15");
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await page.fill("#count", "8192");
      await page.fill("#globalBatch", "2048");
      await settledDays(page);
      // Keyboard: arrow keys move between the tabs.
      await page.focus("#tab-answer");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      expect(await page.getAttribute("#tab-match", "aria-selected")).toBe("true");
      // Opening the view started a match (a few hundred ms of search): its progress shows, and Cancel stops it.
      const job = page.locator("#match-job");
      await job.waitFor({ state: "visible", timeout: 30_000 });
      await job.locator("button").click();
      await expect.poll(() => page.locator("#match-out").textContent()).toBe("Match cancelled.");
      expect(await job.isHidden()).toBe(true);
      await page.selectOption("#matchChip", "nvidia-h20-96gb");
      // The searches behind a match run in a worker, with progress: the page's thread stays free.
      await page.evaluate(() => {
        const w = window as unknown as { __matchLong: number[] };
        w.__matchLong = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__matchLong.push(e.duration);
        }).observe({ type: "longtask" });
      });
      await page.focus("#matchGo");
      await page.keyboard.press("Enter");
      const answer = page.locator("#match-answer");
      await answer.waitFor({ timeout: 90_000 });
      expect(
        (
          await page.evaluate(() => (window as unknown as { __matchLong: number[] }).__matchLong)
        ).filter((d) => d > LONG_TASK_MS),
      ).toEqual([]);
      const text = (await answer.textContent()) ?? "";
      // The headline: the ratio read off the envelopes, the concrete clusters, the batch policy.
      expect(text).toMatch(/^[\d.]+ H20 [^.]*per H100 [^.]*at equal time \(read off the envelopes/);
      expect(text).toMatch(/Concrete: [\d,]+ H20 .* vs 8,192 H100/);
      expect(text).toMatch(/drawing [\d.]+ MW vs [\d.]+ MW/);
      // Llama 3 405B's batch of 2,048 grows (to the DeepSeek LLM estimate, ~8,300): the headline says so.
      expect(text).toMatch(
        /Batch changed: 2,048 → [\d,]+ sequences \([^)]*the same policy for both: grow, at most [\d,]+\)/,
      );
      expect(await page.locator("#match-table tbody tr").count()).toBe(4);
      // Both envelopes on one log-log chart, the equal-time, power and cost points marked.
      const chart = page.locator("#chart-match");
      expect((await chart.getAttribute("data-series"))!.split("|")).toHaveLength(4);
      expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(40);
      const marks = (await chart.getAttribute("data-markers"))!.split("|");
      expect(marks.map((m) => m.split(" ×")[0])).toEqual([
        "equal time",
        "equal power",
        "equal cost",
        expect.stringMatching(/^reference 8,192 H100/),
      ]);
      // The reference cluster's ring sits at its count and days.
      const at = (await chart.getAttribute("data-marker"))!.split(";")[3].split(",").map(Number);
      expect(at[0]).toBe(8192);
      // What solid and dashed lines mean is said under the chart; no two ring labels overlap.
      expect(await page.locator("#match-legend").textContent()).toMatch(
        /^Solid lines: the fastest at or below each count .*; dashed: each count's own days/,
      );
      const boxes: number[][] = JSON.parse((await chart.getAttribute("data-label-boxes"))!);
      expect(boxes).toHaveLength(4);
      const overlaps = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
          .map(() => i),
      );
      expect(overlaps).toEqual([]);
      // Both sides are calibrated for this pair: the line says what backs each.
      expect(await page.locator("#match-calibration").getAttribute("data-calibrated")).toBe(
        "true,true",
      );
      expect(await page.locator("#match-calibration").textContent()).toMatch(
        /^Calibration: H100 .*megatron-core: \d+ published runs on this chip, error /,
      );
      expect(await chart.getAttribute("aria-label")).toMatch(
        /marked equal time ×[\d.]+: [\d,]+ chips/,
      );
      // The headline ratio and the chart's equal-time mark say the same number.
      const ratio = ((await page.locator("#match-ratio").textContent()) ?? "").split(" ")[0];
      expect(marks[0]).toBe(`equal time ×${ratio}`);
      expect(await page.locator("#match-ratios tbody tr").count()).toBe(3);
      expect(await page.locator("#match-power-basis").textContent()).toMatch(/all-in per chip/);
      // The PNG carries the marks: a legend line for each under the series' legend.
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#match-png")]);
      const png = readFileSync(await dl.path());
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      const canvas = await chart.locator("canvas").evaluate((c: HTMLCanvasElement) => c.height);
      const dpr = await page.evaluate(() => devicePixelRatio);
      // Title, one row of series legend at least, and three marker rows, 18 CSS px each.
      expect(png.readUInt32BE(20) - canvas).toBeGreaterThanOrEqual((30 + 4 * 18) * dpr);
      // The same-capex row's cost is its run's, not what the chips cost to buy: the column says so.
      expect(await page.locator("#match-table thead th").last().textContent()).toBe(
        "Run cost, with failures",
      );
      const csv = await downloaded(page, "#match-csv");
      expect(csv).toMatch(
        /^side,chip,count,system,systems,globalBatch,days,effectiveDays,powerMW,energyMWh,costUSD,costBasis,note$/m,
      );
      expect(csv).toMatch(/^reference,nvidia-h100-sxm5-80gb,8192,[^\n]*,capex\+power,$/m);
      expect(csv).toMatch(/^reference,nvidia-h100-sxm5-80gb,8192,/m);
      expect(csv).toMatch(/^same time,nvidia-h20-96gb,\d+,/m);
      const json = JSON.parse(await downloaded(page, "#match-json"));
      expect(json.match.chip).toBe("nvidia-h20-96gb");
      expect(json.scenario.model).toBe("llama3-405b");
      await page.screenshot({ path: `${SHOTS}match.png`, fullPage: true });
      // Words stay whole at desktop and phone widths ("Referen ce", a one-letter Cluster column).
      for (const width of [1400, 390]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await brokenWords(page, "#match-table")).toEqual([]);
        await page.locator("#match-out").screenshot({ path: `${SHOTS}match-${width}.png` });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it("reads every match row at the batch its headline says, the reference as the library does", async () => {
      const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await other.goto(url);
        await settledDays(other);
        await other.selectOption("#model", "llama3-70b");
        await other.selectOption("#chip", "nvidia-h100-sxm5-80gb");
        await other.fill("#count", "8192");
        await settledDays(other);
        await other.click("#tab-match");
        await other.locator("#match-answer").waitFor({ timeout: 90_000 });
        const json = JSON.parse(await downloaded(other, "#match-json"));
        const s = json.scenario;
        expect([s.model, s.cluster.chip, s.cluster.count, s.training.globalBatch]).toEqual([
          "llama3-70b",
          "nvidia-h100-sxm5-80gb",
          8192,
          1024,
        ]);
        const m = (await load()).match(s, { chip: "nvidia-h20-96gb" }, { batch: { mode: "grow" } });
        if (!m.ok) throw new Error(JSON.stringify(m.errors));
        // The headline: 1,024 grows to 4,096 on both sides (the library's batch.used, referenceUsed).
        const words = (await other.locator("#match-batch").textContent()) ?? "";
        const [, from, to] = /^Batch changed: ([\d,]+) → ([\d,]+) sequences \(both sides/.exec(
          words,
        )!;
        expect([from, to]).toEqual(["1,024", "4,096"]);
        expect([m.batch.reference, m.batch.used, m.batch.referenceUsed]).toEqual([
          1024, 4096, 4096,
        ]);
        // The reference row reads at that batch: the library's reference at it, to the rounding shown.
        const best = m.referenceBest;
        expect(best.count).toBe(8192);
        const cells = await other
          .locator("#match-table tbody tr")
          .first()
          .locator("th, td")
          .allTextContents();
        expect(cells.slice(0, 2)).toEqual(["Reference", expect.stringMatching(/^8,192 H100/)]);
        expect(cells.slice(2, 5)).toEqual([
          "4,096",
          fmtDays(best.days),
          fmtDays(best.effectiveDays!),
        ]);
        expect(cells[4]).not.toBe(fmtDays(m.reference.effectiveDays!)); // the batch of 1,024 reads slower
        expect(await other.locator("#match-answer").textContent()).toContain(
          `${fmtDays(best.effectiveDays!)} of 8,192 H100`,
        );
        // Every other row at the headline's batch, or at one the headline names.
        for (const row of (await other.locator("#match-table tbody tr").all()).slice(1)) {
          const [label, , batch] = await row.locator("th, td").allTextContents();
          if (batch !== to) expect(words).toContain(`${label.toLowerCase()} at ${batch}`);
        }
        // The chart's reference ring sits there too.
        const rings = (await other.getAttribute("#chart-match", "data-marker"))!.split(";");
        expect(rings.at(-1)).toBe(`8192,${best.effectiveDays}`);
      } finally {
        await other.close();
      }
    });

    it("keeps the match chart's day axis readable when the weaker chip needs ~100,000 days", async () => {
      const other = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        // 32 H100s for Llama 3 70B on 75T tokens: years; the L2s at a quarter of their count need ~100,000 days.
        await other.goto(
          `${url}?model=llama3-70b&count=32&tokens=75&view=match&matchChip=nvidia-l2`,
        );
        await other.locator("#match-answer").waitFor({ timeout: 90_000 });
        const chart = other.locator("#chart-match");
        const colours = await other.evaluate(() =>
          ["--c5", "--c7", "--c4"].map((v) =>
            getComputedStyle(document.documentElement).getPropertyValue(v).trim(),
          ),
        );
        for (const width of [1280, 390]) {
          await other.setViewportSize({ width, height: 900 });
          await expect
            .poll(async () => (await chart.locator("canvas").boundingBox())?.width)
            .toBeLessThan(width);
          type Axis = {
            strip: [number, number];
            ticks: [string, number, number, number, number][];
          };
          const [axis]: Axis[] = JSON.parse((await chart.getAttribute("data-y-ticks"))!);
          const ticks = axis.ticks.map((t) => t[0]);
          // Plain numbers with k or M, up past 100,000 days; no exponent, NaN or empty label.
          expect(ticks).toContain("100k");
          for (const t of ticks) expect(t).toMatch(/^\d+(\.\d+)?[kM]?$/);
          // No two labels overlap; each fits its axis's strip (not over the axis title).
          const boxes = axis.ticks.map((t) => t.slice(1) as number[]);
          const hit = (a: number[], b: number[]) =>
            a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
          expect(boxes.filter((a, i) => boxes.slice(i + 1).some((b) => hit(a, b)))).toEqual([]);
          for (const b of boxes) {
            expect(b[0]).toBeGreaterThanOrEqual(axis.strip[0]);
            expect(b[2]).toBeLessThanOrEqual(axis.strip[1]);
          }
          // No ring label lies over the axis: none in its strip, and no ring colour painted there.
          const rings: number[][] = JSON.parse((await chart.getAttribute("data-label-boxes"))!);
          expect(rings.filter((r) => r[0] < axis.strip[1])).toEqual([]);
          const painted = await chart.locator("canvas").evaluate(
            (c: HTMLCanvasElement, [strip, cols]) => {
              const px = devicePixelRatio;
              const data = c
                .getContext("2d")!
                .getImageData(strip[0] * px, 0, (strip[1] - strip[0]) * px, c.height).data;
              const rgb = (cols as string[]).map((x) =>
                x.match(/[\da-f]{2}/gi)!.map((h) => parseInt(h, 16)),
              );
              let n = 0;
              for (let i = 0; i < data.length; i += 4)
                if (
                  rgb.some(
                    (k) => Math.hypot(data[i] - k[0], data[i + 1] - k[1], data[i + 2] - k[2]) < 40,
                  )
                )
                  n++;
              return n;
            },
            [axis.strip, colours] as const,
          );
          expect(painted).toBe(0);
          await chart.screenshot({ path: `${SHOTS}match-axis-${width}.png` });
        }
      } finally {
        await other.close();
      }
    });

    it("compares rack designs at equal racks, power and chips", async () => {
      await page.click("#tab-racks");
      await page.fill("#racks", "abc");
      await page.click("#racksGo");
      await expect
        .poll(() =>
          page
            .locator("#racks-error")
            .textContent({ timeout: 1000 })
            .catch(() => ""),
        )
        .toContain("Racks must be");
      await page.fill("#racks", "24");
      await page.click("#racksGo");
      await page.locator("#racks-table").waitFor({ timeout: 90_000 });
      // The published ratios a reader checks: ~1.7x compute, ~3.9x power, ~2.3x worse perf/W (SemiAnalysis).
      const ratioOf = async (metric: string) =>
        (await page.locator(`#racks-ratios tr[data-metric="${metric}"] td`).nth(2).textContent()) ??
        "";
      expect(await ratioOf("denseBf16PF")).toBe("1.60×");
      expect(await ratioOf("allInKW")).toBe("3.86×");
      expect(await ratioOf("bf16TflopsPerKW")).toBe("2.40× worse");
      expect(
        await page
          .locator('#racks-ratios tr[data-metric="allInKW"] td')
          .nth(3)
          .locator("a")
          .getAttribute("href"),
      ).toMatch(/^https:\/\/semianalysis\.com\//);
      // Equal chips: 24 x 32 = 768 of each design where a plan divides it, else a note says why.
      const equalChips = page.locator("#racks-table tbody tr td:nth-child(4)");
      for (let i = 0; i < 3; i++) {
        const cell = (await equalChips.nth(i).textContent()) ?? "";
        expect(cell.startsWith("768 chips") || /asked 768 →/.test(cell)).toBe(true);
      }
      expect(await page.locator("#racks-table tbody tr").count()).toBe(3);
      expect(await page.locator("#racks-table").textContent()).toMatch(
        /GB200 NVL72.*CloudMatrix 384.*HGX H20/,
      );
      const csv = await downloaded(page, "#racks-csv");
      expect(csv).toMatch(/^GB200 NVL72,equal racks,1728,\d+,/m); // 24 racks of 72
      expect(
        csv.split("\n").filter((l) => /^(GB200 NVL72|CloudMatrix 384|HGX H20),/.test(l)),
      ).toHaveLength(9);
      expect(JSON.parse(await downloaded(page, "#racks-json")).racks).toHaveLength(9);
      expect(csv).toMatch(
        /^design,comparison,count asked,count used,days,effectiveDays,powerMW,energyMWh,costUSD,costBasis,error$/m,
      );
      expect(csv).toMatch(/^GB200 NVL72,equal racks,1728,\d+,[^\n]*,electricity only,$/m); // no catalog price for GB200
      expect(
        await page.locator("#racks-table tbody tr").first().locator("td").first().textContent(),
      ).toMatch(/\$[\d.]+ [kMB] \(electricity only\)/);
      await page.screenshot({ path: `${SHOTS}racks.png`, fullPage: true });
    });

    it("exports the result as CSV and JSON, and a chart as PNG", async () => {
      await page.click("#tab-answer");
      await settledDays(page);
      const d = await days(page);
      const csv = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")])
        .then(([dl]) => dl.path())
        .then((p) => readFileSync(p, "utf8"));
      expect(csv.split("\n")[0]).toBe("field,value");
      // The CSV keeps the full figure; the page shows it to 3 significant digits.
      const csvDays = Number(/^result\.run\.days,([^\n]+)$/m.exec(csv)?.[1]);
      expect(Math.abs(csvDays / d - 1)).toBeLessThan(0.005);
      const json = await Promise.all([page.waitForEvent("download"), page.click("#export-json")])
        .then(([dl]) => dl.path())
        .then((p) => JSON.parse(readFileSync(p, "utf8")));
      expect(json.result.ok).toBe(true);
      expect(json.scenario.model).toBe("llama3-405b");
      expect(json.link).toContain("model=llama3-405b");
      expect(json.errors).toEqual([]);
      // The Answer tab's own data only: the comparison run earlier exports from the Compare tab.
      expect(json.compare).toBeUndefined();
      expect(csv).not.toContain("compare:");
      expect(csv).toContain(
        "chip,count,days,effectiveDays,energyMWh,powerMW,costUSD,costBasis,mfu,plan,error\n",
      );
      await page.waitForFunction(() => document.querySelector("#chart-scaling canvas"), undefined, {
        timeout: 60_000,
      });
      const png = await Promise.all([
        page.waitForEvent("download"),
        page.click("#export-png-scaling"),
      ])
        .then(([dl]) => dl.path())
        .then((p) => readFileSync(p));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      // A title and a legend are drawn above the plot: the image is taller than the chart's canvas.
      const canvasHeight = await page.evaluate(
        () => document.querySelector<HTMLCanvasElement>("#chart-scaling canvas")!.height,
      );
      expect(png.readUInt32BE(20)).toBeGreaterThan(canvasHeight);
      writeFileSync(`${SHOTS}chart-export.png`, png);
    });

    it("switches between light and dark themes, and fits a phone screen", async () => {
      await page.click("#theme"); // auto -> light
      expect(await page.getAttribute("html", "data-theme")).toBe("light");
      await page.click("#theme"); // light -> dark
      expect(await page.getAttribute("html", "data-theme")).toBe("dark");
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe("rgb(17, 20, 24)");
      await page.screenshot({ path: `${SHOTS}answer-dark.png`, fullPage: true });
      await page.click("#theme"); // back to auto
      const darkSystem = await browser!.newPage({ colorScheme: "dark" });
      try {
        await darkSystem.goto(url);
        await settledDays(darkSystem);
        expect(await darkSystem.getAttribute("html", "data-theme")).toBe("dark"); // auto follows the system
        expect(
          await darkSystem.evaluate(() => getComputedStyle(document.body).backgroundColor),
        ).toBe("rgb(17, 20, 24)");
      } finally {
        await darkSystem.close();
      }
      const phone = await browser!.newPage({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
      });
      try {
        await phone.goto(url);
        await settledDays(phone);
        const overflow = await phone.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow).toBeLessThanOrEqual(1);
        // The answer stays in sight at the bottom while the form fills the screen.
        expect(await phone.locator("#mini").textContent()).toMatch(/ d · [\d.]+ [kMG]?W · \$/);
        expect(await phone.locator("#mini").isVisible()).toBe(true);
        await phone.screenshot({ path: `${SHOTS}phone.png`, fullPage: true });
        // Other tabs have inputs of their own at the bottom, and other numbers: no bar there.
        await phone.click("#tab-compare");
        expect(await phone.locator("#mini").isHidden()).toBe(true);
        await phone.click("#tab-answer");
        expect(await phone.locator("#mini").isVisible()).toBe(true);
        // The rack bars' day labels stay inside the screen.
        await phone.click("#tab-racks");
        await phone.locator("#racks-table").waitFor({ timeout: 90_000 });
        const rights = await phone.evaluate(() =>
          Array.from(document.querySelectorAll("#racks-out .hbar-value")).map(
            (el) => el.getBoundingClientRect().right,
          ),
        );
        expect(rights).toHaveLength(9);
        expect(Math.max(...rights)).toBeLessThanOrEqual(390);
        expect(
          await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        ).toBeLessThanOrEqual(1);
        await phone.screenshot({ path: `${SHOTS}phone-racks.png`, fullPage: true });
        // Tables scroll on a phone rather than break words letter by letter ("Desig n", "GB20 0").
        expect(await brokenWords(phone, "#racks-table")).toEqual([]);
        await phone.click("#tab-compare");
        await phone.locator("#compare-table").waitFor({ timeout: 90_000 });
        expect(await brokenWords(phone, "#compare-table")).toEqual([]);
        await phone.screenshot({ path: `${SHOTS}phone-compare.png`, fullPage: true });
        // The bottom bar marks a cost that counts electricity alone (Ascend 910C has no price).
        await phone.goto(`${url}?chip=huawei-ascend-910c&count=4096`);
        await settledDays(phone);
        expect(await phone.locator("#mini").textContent()).toMatch(
          / · \$[\d.]+ [kMB]? ?\(electricity only\)$/,
        );
      } finally {
        await phone.close();
      }
    });

    it("takes a custom model shape, prefilled from the preset, with errors at its cells", async () => {
      await page.selectOption("#model", "llama3-8b");
      await settledDays(page);
      await page.selectOption("#model", "custom");
      await page.locator("#layers").waitFor({ state: "visible" });
      expect(await page.inputValue("#layers")).toBe("32");
      expect(await page.inputValue("#heads")).toBe("32");
      await settledDays(page);
      expect(await page.locator("#result .summary").textContent()).toContain("Custom model");
      await page.fill("#kvHeads", "5");
      const error = page.locator("#custom-error");
      await error.waitFor({ state: "visible", timeout: 30_000 });
      expect(await error.textContent()).toContain("model.kvHeads");
      expect(await page.inputValue("#kvHeads")).toBe("5");
      await page.fill("#kvHeads", "8");
      // Heads that do not divide hidden need a head dim: the error is at its own cell, not the preset.
      expect(await page.inputValue("#headDim")).toBe("");
      await page.fill("#heads", "24"); // 4,096 / 24 is not whole; 24 is a multiple of the 8 KV heads
      await expect.poll(() => error.textContent()).toContain("model.headDim");
      expect(await page.getAttribute("#headDim", "aria-invalid")).toBe("true");
      expect(await page.locator("#model-error").isHidden()).toBe(true);
      await page.fill("#headDim", "128");
      await settledDays(page);
      await page.fill("#heads", "32");
      await page.fill("#headDim", "");
      // Six-digit vocabularies and the MLP names fit their cells.
      const clipped = await page.evaluate(() =>
        ["vocab", "mlp"].filter((id) => {
          const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
          const text = el instanceof HTMLSelectElement ? el.selectedOptions[0].text : el.value;
          const ctx = document.createElement("canvas").getContext("2d")!;
          const cs = getComputedStyle(el);
          ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
          const room =
            el.clientWidth -
            parseFloat(cs.paddingLeft) -
            parseFloat(cs.paddingRight) -
            (el instanceof HTMLSelectElement ? 20 : 0);
          return ctx.measureText(text).width > room;
        }),
      );
      await page.screenshot({ path: `${SHOTS}custom.png`, fullPage: true });
      expect(clipped).toEqual([]);
      await page.selectOption("#mlp", "gelu");
      const d = await settledDays(page);
      // The custom shape survives a link.
      await page.waitForFunction(
        () => location.hash.includes("mlp=gelu") && location.hash.includes("kvHeads=8"),
        undefined,
        { timeout: 10_000 },
      );
      const other = await browser!.newPage();
      try {
        await other.goto(page.url());
        expect(await settledDays(other)).toBe(d);
        expect(await other.inputValue("#mlp")).toBe("gelu");
        expect(await other.inputValue("#layers")).toBe("32");
      } finally {
        await other.close();
      }
      await page.selectOption("#model", "llama3-70b");
      await settledDays(page);
    });

    it("a custom shape takes experts: prefilled from an MoE preset, the same answer as the preset, errors at their cells", async () => {
      await page.goto(`${url}?model=mixtral-8x7b`); // custom cells empty, as a new visitor has them
      const preset = await settledDays(page);
      await page.selectOption("#model", "custom");
      await page.locator("#experts").waitFor({ state: "visible" });
      expect(await page.inputValue("#experts")).toBe("8");
      expect(await page.inputValue("#active")).toBe("2");
      expect(await settledDays(page)).toBe(preset);
      expect(await page.locator("#plan-text").textContent()).toContain("EP");
      await page.fill("#active", "99");
      const error = page.locator("#custom-error");
      await expect
        .poll(() => error.textContent(), { timeout: 30_000 })
        .toContain("model.moe.active");
      expect(await page.getAttribute("#active", "aria-invalid")).toBe("true");
      expect(await page.inputValue("#active")).toBe("99");
      // An empty Experts cell is a dense model; what the other cells hold stays typed.
      await page.fill("#experts", "");
      await settledDays(page);
      expect(await page.locator("#plan-text").textContent()).not.toContain("EP");
      expect(await page.inputValue("#active")).toBe("99");
      await page.fill("#experts", "8");
      await page.fill("#active", "2");
      expect(await settledDays(page)).toBe(preset);
      await page.selectOption("#model", "llama3-70b");
      await settledDays(page);
    });

    it("defines a custom chip in the chip panel: prefilled from the chip before, errors at its cells, kept by a link", async () => {
      await page.goto(`${url}?model=llama3-8b&tokens=1&chip=nvidia-h100-sxm5-80gb&count=64`);
      const catalogDays = await settledDays(page);
      expect(await page.locator("#custom-chip").isHidden()).toBe(true);
      await page.selectOption("#chip", "custom");
      await page.locator("#myBf16").waitFor({ state: "visible" });
      // Every figure of the chip chosen before. The same chip by its figures has no chip class, so it
      // runs uncalibrated on the base constants, not on Megatron-Core's Hopper fit: each answer is
      // the library's for its own chip.
      expect(await page.inputValue("#myBf16")).toBe("989.5");
      expect(await page.inputValue("#myDomain")).toBe("8");
      expect(await page.inputValue("#myNicGbps")).toBe("400");
      const sim = await load();
      const libraryDays = (chip: unknown) => {
        const r = sim.simulate({
          model: "llama3-8b",
          training: { tokens: 1e12, seqLen: 8192, globalBatch: 1024, precision: "bf16" },
          cluster: { chip, count: 64 },
          parallelism: "auto",
        } as Parameters<typeof sim.simulate>[0]);
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        return Number(sig(r.run.days).replace(/,/g, "")); // as #days shows it
      };
      expect(libraryDays("nvidia-h100-sxm5-80gb")).toBe(catalogDays);
      const h100 = findChip("nvidia-h100-sxm5-80gb")!;
      const figures = Object.fromEntries(CHIP_FIGURES.map((k) => [k, h100[k]]));
      expect(await settledDays(page)).toBe(libraryDays({ name: "custom chip", ...figures }));
      // A figure left out is named at its cell, never defaulted; the empty cell stays empty.
      await page.fill("#myDomain", "");
      const error = page.locator("#custom-chip-error");
      await expect
        .poll(() => error.textContent(), { timeout: 30_000 })
        .toContain("cluster.chip.scaleUpDomain");
      expect(await page.getAttribute("#myDomain", "aria-invalid")).toBe("true");
      expect(await page.locator("#days").count()).toBe(0);
      // Text that is no number is kept as typed and named at its own cell.
      await page.fill("#myHbmGB", "lots");
      await expect.poll(() => error.textContent()).toContain("cluster.chip.hbmGB");
      // Named once, as what is wrong with it (not also as missing).
      expect((await error.textContent())!.split("cluster.chip.hbmGB").length).toBe(2);
      expect(await page.inputValue("#myHbmGB")).toBe("lots");
      expect(await page.getAttribute("#myHbmGB", "aria-invalid")).toBe("true");
      await page.screenshot({ path: `${SHOTS}custom-chip.png`, fullPage: true });
      await page.fill("#myDomain", "16");
      await page.fill("#myHbmGB", "141");
      const d = await settledDays(page);
      expect(await error.isHidden()).toBe(true);
      // The scaling chart sweeps the custom chip itself, first, beside the reference chips.
      await expect
        .poll(() => page.locator("#sweep-status").textContent(), { timeout: 90_000 })
        .toMatch(/^5 chips × \d+ counts/);
      expect(await page.locator("#chart-scaling").textContent()).toContain("custom chip");
      await page.screenshot({ path: `${SHOTS}custom-chip-answer.png`, fullPage: true });
      // The link keeps the chip's figures and answers the same.
      await page.waitForFunction(
        () =>
          location.hash.includes("chip=custom") &&
          location.hash.includes("myHbmGB=141") &&
          location.hash.includes("myDomain=16"),
        undefined,
        { timeout: 10_000 },
      );
      const other = await browser!.newPage();
      try {
        await other.goto(page.url());
        expect(await settledDays(other)).toBe(d);
        expect(await other.inputValue("#myHbmGB")).toBe("141");
        expect(await other.locator("#custom-chip").isVisible()).toBe(true);
      } finally {
        await other.close();
      }
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      expect(await settledDays(page)).toBe(catalogDays);
      expect(await page.locator("#custom-chip").isHidden()).toBe(true);
    });

    it("marks a chip's estimated figures in the chip panel, with what each comes from", async () => {
      await page.selectOption("#chip", "google-tpu-v5p");
      const tag = page.locator("#chip-estimates");
      await expect.poll(() => tag.textContent(), { timeout: 10_000 }).toBe("1 figure estimated");
      const tdp = page.locator('#chip-specs [data-estimate="tdpW"]');
      expect(await tdp.textContent()).toBe("~320 W");
      expect(await tdp.getAttribute("title")).toContain("range 250-450");
      await settledDays(page);
      await page.selectOption("#chip", "nvidia-h100-sxm5-80gb");
      await expect.poll(() => tag.count()).toBe(0);
      await settledDays(page);
    });

    it("opens an example scenario from its link, answering at once", async () => {
      await page.click("a:has-text('How many H20s match')");
      await page.waitForURL(/view=match/);
      await expect
        .poll(() => page.getAttribute("#tab-match", "aria-selected"), { timeout: 30_000 })
        .toBe("true");
      await page.locator("#match-answer").waitFor({ timeout: 90_000 });
      // Up to the default batch cap 65,536 H20 come within 1% of 16,384 H100 but not level: every
      // step waits for the slowest of 65,536 ranks (calibration.stragglerCv).
      expect(await page.locator("#match-answer").textContent()).toMatch(
        /^Cannot match [\d.]+ d of 16,384 H100 .*: the best is [\d.]+ d at 65,536 H20 /,
      );
      await page.click("#tab-answer");
      await settledDays(page);
    });

    it("opens DeepSeek-V3 as published from its link: the days of examples/deepseek-v3-h800.json", async () => {
      const sim = await load();
      const expected = sim.simulate(
        JSON.parse(readFileSync(`${root}examples/deepseek-v3-h800.json`, "utf8")),
      );
      if (!expected.ok) throw new Error("example failed");
      await page.click('a:has-text("DeepSeek-V3 on 2,048 H800s")');
      await page.waitForURL(/model=deepseek-v3/);
      await expect
        .poll(() => days(page), { timeout: 30_000 })
        .toBe(Number(expected.run.days.toFixed(1)));
      // A valid scenario's charts are computing (DeepSeek-V3's sweep is long), never "fix the scenario".
      await expect
        .poll(() => page.locator("#chart-scaling .chart-note").textContent(), { timeout: 10_000 })
        .toBe("Computing the best plan at each chip count…");
      expect((await page.textContent("#plan"))?.replace(/\s+/g, " ")).toMatch(
        /Recompute\s?none \+ norms, MLA up-projections\s?Expert TP/,
      );
      // The auto plan, copied into the manual form, gives the same answer: expert TP and the all-to-all travel with it.
      for (const id of ["tp", "pp", "dp"]) await page.fill(`#${id}`, ""); // an empty manual plan starts from the one shown
      await page.selectOption("#planMode", "auto");
      await expect
        .poll(() => page.textContent("#plan h3"), { timeout: 60_000 })
        .toBe("Chosen plan");
      const auto = await settledDays(page, 60_000);
      expect((await page.textContent("#plan"))?.replace(/\s+/g, " ")).toMatch(
        /Expert TP\s?1.*EP all-to-all\s?serial/,
      );
      await page.selectOption("#planMode", "manual");
      await expect.poll(() => page.inputValue("#etp"), { timeout: 30_000 }).toBe("1");
      await expect.poll(() => days(page), { timeout: 30_000 }).toBe(auto);
      await page.selectOption("#planMode", "auto");
      await page.selectOption("#model", "llama3-70b");
      await settledDays(page);
    });

    it("replaces a live worker that dies and recomputes the last input", async () => {
      await page.selectOption("#planMode", "auto");
      await page.fill("#count", "2048");
      const before = await settledDays(page);
      const restarts = Number((await page.getAttribute("html", "data-worker-restarts")) ?? "0");
      let crashed = 0;
      for (const w of page.workers()) {
        // A sweep lane may end its worker meanwhile (a new scenario cancels the old sweep): skip it.
        const name = await w
          .evaluate(() => (self as unknown as { name: string }).name)
          .catch(() => null);
        if (name !== "live") continue;
        await w.evaluate(() => {
          setTimeout(() => {
            throw new Error("simulated crash");
          });
        });
        crashed++;
      }
      expect(crashed).toBe(1);
      await page.fill("#count", "4096");
      await expect
        .poll(() => page.getAttribute("html", "data-worker-restarts"), { timeout: 30_000 })
        .toBe(String(restarts + 1));
      const after = await settledDays(page);
      expect(after).toBeLessThan(before);
      expect(await page.locator("#result").textContent()).not.toMatch(/stopped/);
    });

    it("after 1,000 rapid slider moves it stays responsive and shows the answer for the final position", async () => {
      await settledDays(page);
      await page.focus("#countSlider");
      const start = Number(await page.inputValue("#count"));
      for (let i = 0; i < 998; i++)
        await page.keyboard.press(i % 2 === 0 ? "ArrowRight" : "ArrowLeft");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight"); // two steps of the log slider: twice the chips
      await expect.poll(() => page.inputValue("#count")).toBe(String(start * 2));
      const t0 = Date.now();
      await page.evaluate(() => 1); // the main thread answers at once
      expect(Date.now() - t0).toBeLessThan(2000);
      const shown = await settledDays(page);
      const count = await page.inputValue("#count");
      // The link (its fragment) is written 200 ms after moves stop.
      await expect
        .poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get("count"))
        .toBe(count);
      const link = page.url();
      const fresh = await browser!.newPage();
      try {
        await fresh.goto(link);
        const again = await settledDays(fresh);
        expect(await fresh.inputValue("#count")).toBe(count);
        expect(again).toBe(shown);
      } finally {
        await fresh.close();
      }
    });

    it("an overlong link or one with wrong types shows a message and the default scenario", async () => {
      const other = await browser!.newPage();
      try {
        // 12 KB: the dev server refuses request lines near its 16 KB limit (a 1 MB link: test/web-units.test.ts).
        await other.goto(`${url}?model=${"A".repeat(12_000)}`);
        await other.locator("#url-message").waitFor({ state: "visible", timeout: 30_000 });
        expect(await other.locator("#url-message").textContent()).toMatch(/too long/);
        expect(await settledDays(other)).toBeGreaterThan(0);
        await other.goto(`${url}?count=%5B1%2C2%5D&tokens=true&precision=fp3&seqLen=%7B%7D`);
        await other.locator("#url-message").waitFor({ state: "visible", timeout: 30_000 });
        const text = (await other.locator("#url-message").textContent()) ?? "";
        for (const key of ["count", "tokens", "precision", "seqLen"])
          expect(text).toContain(`${key}:`);
        expect(await settledDays(other)).toBeGreaterThan(0);
      } finally {
        await other.close();
      }
    });

    it("logged no console errors and no uncaught page errors", () => {
      expect(problems).toEqual([]);
    });
  },
);
