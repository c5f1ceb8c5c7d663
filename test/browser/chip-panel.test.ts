// The chip panel as a new user reads it: its sources (one line per source, not per figure), the
// export metrics a chip's estimated figures make estimates too, and the catalog's figures exactly.
// Vite dev server + headless Chromium; `npm test` builds the library first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { HAVE_CHROMIUM, launchChromium, startDevServer, type DevServer } from "./dev-server.js";

describe.skipIf(!HAVE_CHROMIUM)("chip panel in Chromium", () => {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDevServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  async function open(chip: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${server!.url}#chip=${chip}`);
    await page.waitForSelector("#chip-rules li[data-rule]", { timeout: 60_000 });
    return page;
  }

  /** The sources list: one entry per line, as [fields, the sources' text]. */
  const sourceLines = (page: Page) =>
    page.$$eval("#chip-sources-list li", (lis) =>
      lis.map((li) => [li.querySelector("b")?.textContent ?? "", li.textContent ?? ""]),
    );

  it("lists each set of sources once, naming every figure it backs", async () => {
    const page = await open("baidu-kunlun-p800");
    const lines = await sourceLines(page);
    const texts = lines.map(([fields, all]) => all.slice(fields.length));
    expect(new Set(texts).size).toBe(texts.length);
    // Kunlun P800: eight figures are chipscale's estimates, one line says so for all of them.
    const estimate = lines.filter(([, all]) => all.includes("chipscale estimate"));
    expect(estimate.length).toBe(1);
    expect(estimate[0][0]).toBe(
      "bf16Tflops, fp16Tflops, hbmGB, hbmTBps, scaleUpGBps, scaleUpDomain, scaleOutGbps, tdpW: ",
    );
    // Figures no source gives at all are one line too, never an empty "field:" each.
    expect(lines.filter(([, all]) => all.endsWith(": "))).toEqual([]);
    expect(lines.find(([, all]) => all.includes("no source recorded"))?.[0]).toMatch(
      /^fp8Tflops, /,
    );
    // H100: the datasheet and Epoch back all six rates: one line.
    const h100 = await sourceLines(await open("nvidia-h100-sxm5-80gb"));
    expect(h100[0][0]).toBe("bf16Tflops, fp16Tflops, fp8Tflops, fp4Tflops, int8Tops, int4Tops: ");
    expect(problems).toEqual([]);
  });

  it("marks TPP and the export class computed from estimated figures with ~", async () => {
    const page = await open("baidu-kunlun-p800");
    // TPP 5,120 comes from the estimated BF16 320 TFLOPS: the class it decides is an estimate too.
    await expect.poll(() => page.locator("#export-class").textContent()).toBe("export: ~3A090.a");
    expect(await page.locator("#chip-tpp").textContent()).toMatch(/TPP ~5,120,/);
    const oct2023 = page.locator('#chip-rules li[data-rule="oct2023"] .tag');
    expect(await oct2023.textContent()).toBe("~3A090.a");
    expect(await oct2023.getAttribute("title")).toMatch(/estimate/);
    // Cambricon MLU590 likewise; a published chip (H100) never.
    const mlu = await open("cambricon-mlu590");
    await expect.poll(() => mlu.locator("#export-class").textContent()).toBe("export: ~3A090.a");
    const h100 = await open("nvidia-h100-sxm5-80gb");
    await expect.poll(() => h100.locator("#export-class").textContent()).toBe("export: 3A090.a");
    expect(await h100.locator("#chip-rules").textContent()).not.toContain("~");
    // A figure the user gives is no estimate: BF16 typed in, the TPP it decides is exact.
    await page.fill("#fig-bf16Tflops", "400");
    await expect.poll(() => page.locator("#chip-tpp").textContent()).toMatch(/TPP 6,400,/);
    expect(problems).toEqual([]);
  });

  it("shows the catalog's figure exactly in the slider's field and line", async () => {
    const page = await open("nvidia-h100-sxm5-80gb");
    expect(await page.inputValue("#fig-bf16Tflops")).toBe("989.5");
    expect(await page.locator("#figChange-bf16Tflops").textContent()).toBe(
      "BF16 989.5 TFLOPS, as H100 SXM5 80GB (catalog)",
    );
    const mi300x = await open("amd-mi300x");
    expect(await mi300x.inputValue("#fig-bf16Tflops")).toBe("1307.4");
    expect(await mi300x.locator("#figChange-bf16Tflops").textContent()).toBe(
      "BF16 1,307.4 TFLOPS, as Instinct MI300X OAM 192GB (catalog)",
    );
    // Unchanged, the scenario carries the catalog chip's id, not an override of 1307.4.
    expect(await mi300x.evaluate(() => location.hash)).not.toContain("bf16Tflops");
    expect(problems).toEqual([]);
  });
});
