// UI benchmark: production build served by `vite preview`, driven in headless Chromium.
//   npm run bench:ui            (builds the library and the page first)
// Prints: first load to first answer, slider-move -> updated numbers and chart latency
// (p50/p95 over 120 moves, auto plan, Llama 3 405B on 16,384 H100) for the chip-count slider and
// a chip slider (HBM bandwidth), and the bundle size.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const MOVES = 120;
const vite = `${root}node_modules/.bin/vite`;

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} not found (apt-get install chromium)`);
  process.exit(1);
}
if (!existsSync(`${root}build/chipscale.wasm`)) {
  console.error("build/chipscale.wasm is missing: run npm run build first");
  process.exit(1);
}

execFileSync(vite, ["build", "--config", "vite.config.ts", "--logLevel", "warn"], {
  cwd: root,
  stdio: "inherit",
});

// ---------- bundle size ----------
const dist = `${root}dist-web/`;
const files = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = `${dir}${f}`;
    statSync(p).isDirectory() ? walk(`${p}/`) : files.push(p);
  }
};
walk(dist);
const sized = files
  .filter((f) => /\.(js|css|wasm|html)$/.test(f))
  .map((f) => {
    const buf = readFileSync(f);
    return {
      file: f.slice(dist.length),
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
    };
  });
// The library's pool worker is emitted (the library references it) but the page never starts it.
const loaded = sized.filter((f) => !/pool-worker/.test(f.file));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

// ---------- serve and drive ----------
const port = await new Promise((resolve, reject) => {
  const srv = createServer();
  srv.on("error", reject);
  srv.listen(0, "127.0.0.1", () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const server = spawn(
  vite,
  [
    "preview",
    "--config",
    "vite.config.ts",
    "--port",
    String(port),
    "--strictPort",
    "--host",
    "127.0.0.1",
  ],
  { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
);
const base = `http://127.0.0.1:${port}/`;
let browser;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 300 || server.exitCode !== null) throw new Error("vite preview did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
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

  // First load to first answer, cold cache each time (a fresh context), median of 5.
  const firstAnswers = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(base);
    await page.waitForSelector("#days", { timeout: 60_000 });
    // From navigation start (performance.now() = 0) to the answer on screen.
    firstAnswers.push(
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => r(performance.now()))),
      ),
    );
    await ctx.close();
  }

  // Slider moves on a 16K-chip cluster with the auto plan: 16,384 <-> 24,576 H100 (one notch).
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(
    `${base}?model=llama3-405b&chip=nvidia-h100-sxm5-80gb&count=16384&globalBatch=2048&tokens=15&planMode=auto`,
  );
  await page.waitForFunction(
    () =>
      Number(document.querySelector("#chart-scaling")?.dataset.points) > 0 &&
      document.querySelector("#days"),
    undefined,
    { timeout: 120_000 },
  );
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push(e.duration);
    }).observe({ type: "longtask" });
  });
  const latencies = [];
  for (let i = 0; i < MOVES; i++) {
    latencies.push(
      await page.evaluate(
        (up) =>
          new Promise((resolve, reject) => {
            const slider = document.querySelector("#countSlider");
            const chart = document.querySelector("#chart-scaling");
            const result = document.querySelector("#result");
            const target = up ? 24576 : 16384;
            const t0 = performance.now();
            slider.value = String(Number(slider.value) + (up ? 1 : -1));
            slider.dispatchEvent(new Event("input", { bubbles: true }));
            const done = () =>
              chart.dataset.marker?.startsWith(`${target},`) &&
              !result.classList.contains("busy") &&
              document.querySelector("#days");
            const timeout = setTimeout(() => reject(new Error("no answer within 10 s")), 10_000);
            const check = () => {
              if (!done()) return false;
              obs.disconnect();
              clearTimeout(timeout);
              requestAnimationFrame(() => resolve(performance.now() - t0)); // numbers and chart painted
              return true;
            };
            const obs = new MutationObserver(check);
            obs.observe(document.body, {
              subtree: true,
              childList: true,
              attributes: true,
              attributeFilter: ["class", "data-marker"],
            });
            check();
          }),
        i % 2 === 0,
      ),
    );
    await page.waitForTimeout(20); // a hand on a slider, not a tight loop
  }
  // Chip-slider moves on the same page: HBM bandwidth one step of 10% either way (a chip override
  // each time), done when the marked point (count, days) changes and the answer is settled.
  const chipLatencies = [];
  for (let i = 0; i < MOVES; i++) {
    chipLatencies.push(
      await page.evaluate(
        (up) =>
          new Promise((resolve, reject) => {
            const slider = document.querySelector("#figSlider-hbmTBps");
            const chart = document.querySelector("#chart-scaling");
            const result = document.querySelector("#result");
            const before = chart.dataset.marker;
            const t0 = performance.now();
            slider.value = String(Number(slider.value) + (up ? 30 : -30)); // 3% of a 32x log range: ~11%
            slider.dispatchEvent(new Event("input", { bubbles: true }));
            const done = () =>
              chart.dataset.marker !== before &&
              !result.classList.contains("busy") &&
              document.querySelector("#days");
            const timeout = setTimeout(() => reject(new Error("no answer within 10 s")), 10_000);
            const check = () => {
              if (!done()) return false;
              obs.disconnect();
              clearTimeout(timeout);
              requestAnimationFrame(() => resolve(performance.now() - t0));
              return true;
            };
            const obs = new MutationObserver(check);
            obs.observe(document.body, {
              subtree: true,
              childList: true,
              attributes: true,
              attributeFilter: ["class", "data-marker"],
            });
            check();
          }),
        i % 2 === 0,
      ),
    );
    await page.waitForTimeout(20);
  }
  const longTasks = await page.evaluate(() => window.__long);

  const q = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log("chipscale UI benchmark (vite preview, production build, headless Chromium)\n");
  console.log(
    `first load -> first answer   median ${ms(q(firstAnswers, 0.5))}  (5 cold loads: ${firstAnswers.map((x) => x.toFixed(0)).join(", ")} ms)   target <= 1000 ms`,
  );
  console.log(
    `slider move -> numbers+chart p50 ${ms(q(latencies, 0.5))}  p95 ${ms(q(latencies, 0.95))}  max ${ms(Math.max(...latencies))}  (${MOVES} moves, Llama 3 405B, 16,384 <-> 24,576 H100, auto plan)   target p95 <= 50 ms`,
  );
  console.log(
    `chip slider -> numbers+chart  p50 ${ms(q(chipLatencies, 0.5))}  p95 ${ms(q(chipLatencies, 0.95))}  max ${ms(Math.max(...chipLatencies))}  (${MOVES} moves, HBM bandwidth 3.35 <-> ~3.7 TB/s, same scenario)   target p95 <= 50 ms`,
  );
  console.log(
    `main-thread long tasks during moves: ${longTasks.length}${longTasks.length ? ` (longest ${ms(Math.max(...longTasks))})` : ""}`,
  );
  console.log(
    `bundle, gzip: ${kb(loaded.reduce((a, f) => a + f.gzip, 0))} loaded by the page (JS+CSS+wasm+HTML), ${kb(sized.reduce((a, f) => a + f.gzip, 0))} emitted in all   target <= 150 KB`,
  );
  for (const f of sized)
    console.log(
      `  ${f.file.padEnd(44)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip${loaded.includes(f) ? "" : "  (not loaded: library pool worker)"}`,
    );
} finally {
  await browser?.close();
  if (server.exitCode === null) server.kill("SIGTERM"); // the vite we started, by its own PID
}
