// A pool of workers (Web Workers in browsers, worker_threads in Node) that splits a search
// across mesh shapes, or a sweep across its values, with progress and cancellation.
import type { Failure } from "./contract/result.js";
import type { Scenario } from "./contract/scenario.js";
import { rankBefore, type SearchOptions, type SearchResult } from "./engine/planner.js";
import type { Shard } from "./engine/search.js";
import type { StoppedEarly } from "./contract/budget.js";
import { readOptions } from "./engine/options.js";
import { copyScenario } from "./contract/clone.js";
import { isRecord } from "./contract/check.js";
import { issue, wrongType } from "./contract/facts.js";
import type { SweepOptions, SweepResult, SweepColumns } from "./analyses/sweep.js";

type Job =
  | {
      kind: "search";
      scenario: Scenario;
      options: Omit<SearchOptions, "onProgress" | "shard">;
      shard: Shard;
    }
  | { kind: "sweep"; scenario: Scenario; options: SweepOptions };
export type PoolRequest = Job & { id: number };

export type PoolReply =
  | { id: number; type: "progress"; done: number; total: number }
  | { id: number; type: "result"; value: SearchResult | SweepResult | Failure }
  | { id: number; type: "error"; message: string };

export interface RunOptions {
  /** Hears overall progress in [0, 1]. */
  onProgress?: (fraction: number) => void;
  /** Aborting terminates the work in flight; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

interface Handle {
  post(req: PoolRequest): void;
  onReply(h: (r: PoolReply) => void): void;
  onFail(h: (e: Error) => void): void;
  terminate(): void;
}

// Node (and runtimes that mimic it) use worker_threads; everything else with Web Workers uses
// them, a page's main thread and a worker alike (a worker has no `window`).
const inNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

async function spawn(): Promise<Handle> {
  const url = new URL("./pool-worker.js", import.meta.url);
  if (typeof Worker !== "undefined" && !inNode) {
    const w = new Worker(new URL("./pool-worker.js", import.meta.url), { type: "module" });
    return {
      post: (r) => w.postMessage(r),
      onReply: (h) => w.addEventListener("message", (e: MessageEvent) => h(e.data as PoolReply)),
      onFail: (h) => w.addEventListener("error", (e) => h(new Error(e.message))),
      terminate: () => w.terminate(),
    };
  }
  const name = "node:worker_threads";
  const { Worker: NodeWorker } = (await import(
    /* @vite-ignore */ name
  )) as typeof import("node:worker_threads");
  const w = new NodeWorker(url);
  w.unref();
  return {
    post: (r) => w.postMessage(r),
    onReply: (h) => w.on("message", h),
    onFail: (h) => w.on("error", h),
    terminate: () => void w.terminate(),
  };
}

async function defaultSize(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (!inNode && nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  const name = "node:os";
  const os = (await import(/* @vite-ignore */ name)) as typeof import("node:os");
  return os.availableParallelism?.() ?? os.cpus().length;
}

const MAX_WORKERS = 64;

const abortError = () => Object.assign(new Error("aborted"), { name: "AbortError" });

export class Pool {
  /** Each worker, or its spawn in progress: calls that arrive while one is awaited share it. */
  private workers: (Promise<Handle> | null)[];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (v: PoolReply & { type: "result" }) => void;
      reject: (e: Error) => void;
      progress: (d: number, t: number) => void;
      worker: number;
    }
  >();

  private constructor(readonly size: number) {
    this.workers = new Array(size).fill(null);
  }

  /** `size` workers: an integer from 1 to 64 (absent: one per core, at most 64); anything else rejects, naming size. */
  static async create(size?: number): Promise<Pool> {
    if (size !== undefined && !(Number.isInteger(size) && size >= 1 && size <= MAX_WORKERS))
      throw Object.assign(
        new RangeError(`size must be an integer from 1 to ${MAX_WORKERS}, got ${String(size)}`),
        { path: "size" },
      );
    return new Pool(size ?? Math.max(1, Math.min(MAX_WORKERS, await defaultSize())));
  }

  private worker(k: number): Promise<Handle> {
    const existing = this.workers[k];
    if (existing) return existing;
    const spawned = spawn().then((h) => {
      h.onReply((r) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        if (r.type === "progress") p.progress(r.done, r.total);
        else {
          this.pending.delete(r.id);
          if (r.type === "result") p.resolve(r);
          else p.reject(new Error(r.message));
        }
      });
      h.onFail((e) => {
        // A dead worker fails what it held and is replaced on next use.
        if (this.workers[k] === spawned) this.workers[k] = null;
        for (const [id, p] of this.pending)
          if (p.worker === k) {
            this.pending.delete(id);
            p.reject(e);
          }
      });
      return h;
    });
    // A failed spawn is not kept: the next call tries again.
    spawned.catch(() => {
      if (this.workers[k] === spawned) this.workers[k] = null;
    });
    this.workers[k] = spawned;
    return spawned;
  }

  private async run(
    k: number,
    req: Job,
    progress: (d: number, t: number) => void,
    signal?: AbortSignal,
  ) {
    const h = await this.worker(k);
    const id = this.nextId++;
    return new Promise<SearchResult | SweepResult | Failure>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      this.pending.set(id, { resolve: (r) => resolve(r.value), reject, progress, worker: k });
      signal?.addEventListener(
        "abort",
        () => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          h.terminate();
          this.workers[k] = null;
          // Whatever else that worker held is lost with it.
          for (const [other, p] of this.pending)
            if (p.worker === k) {
              this.pending.delete(other);
              p.reject(abortError());
            }
          reject(abortError());
        },
        { once: true },
      );
      h.post({ ...req, id } as PoolRequest);
    });
  }

  /** The same answer as Simulator.search, with the mesh shapes split across the workers. */
  async search(
    scenario: Scenario,
    options: Omit<SearchOptions, "onProgress" | "shard"> = {},
    run: RunOptions = {},
  ): Promise<SearchResult | Failure> {
    const t0 = performance.now();
    // Read once and checked here: a bad option is named before any worker sees it.
    const read = readOptions(options);
    const copied = copyScenario(scenario);
    if (!read.ok || !copied.ok)
      return {
        ok: false,
        errors: [...(copied.ok ? [] : copied.errors), ...(read.ok ? [] : read.errors)],
        warnings: [],
      };
    const o = read.value;
    // Each worker searches its share under the same limits.
    const plain: Job & { kind: "search" } = {
      kind: "search",
      scenario: copied.value,
      options: {
        top: o.top,
        exhaustive: o.exhaustive,
        ...(o.calibration ? { calibration: o.calibration } : {}),
        budget: {
          plans: o.budget.plans,
          ...(Number.isFinite(o.budget.ms) ? { ms: o.budget.ms } : {}),
        },
      },
      shard: { index: 0, count: 1 },
    };
    const done = new Array<number>(this.size).fill(0),
      total = new Array<number>(this.size).fill(1);
    const report = () =>
      run.onProgress?.(
        done.reduce((a, b) => a + b, 0) /
          Math.max(
            1,
            total.reduce((a, b) => a + b, 0),
          ),
      );
    const parts = (await Promise.all(
      Array.from({ length: this.size }, (_, k) =>
        this.run(
          k,
          { ...plain, shard: { index: k, count: this.size } },
          (d, t) => {
            done[k] = d;
            total[k] = t;
            report();
          },
          run.signal,
        ),
      ),
    )) as (SearchResult | Failure)[];
    const found = parts.filter((p): p is SearchResult => p.ok);
    // A shard none of whose plans fit tries them with the optimizer offloaded (searchResolved's second
    // pass); the whole search does that only when no shard's plans fit, so such shards then drop out.
    const fitting = found.filter((p) => !p.best.plan.offloadOptimizer);
    const oks = fitting.length > 0 ? fitting : found;
    if (oks.length === 0) {
      // Every shard failed: a validation error or "no plan divides" (said of the whole scenario)
      // is the same in each; "none fits" counts each shard's plans, so they are summed.
      const first = parts[0] as Failure;
      // A shard whose meshes hold no plan says "no plan divides"; another's plans may not fit.
      const firsts = (parts as Failure[]).map((p) => p.errors[0]);
      const fits = firsts.filter((e) => e?.code === "no-plan-fits");
      if (
        fits.length === 0 ||
        !firsts.every((e) => e?.code === "no-plan" || e?.code === "no-plan-fits")
      )
        return first;
      let candidates = 0;
      for (const e of fits) if (e.code === "no-plan-fits") candidates += e.data.candidates;
      const capacityGB = fits[0].code === "no-plan-fits" ? fits[0].data.capacityGB : 0;
      return {
        ok: false,
        errors: [
          issue(
            "parallelism",
            "no-plan-fits",
            { candidates, capacityGB },
            `none of ${candidates} plans fits in ${capacityGB} GB per chip; add chips or pick a chip with more memory`,
          ),
        ],
        warnings: first.warnings,
      };
    }
    const top = oks
      .flatMap((p) => p.top)
      .sort((a, b) => (rankBefore(a, b) ? -1 : rankBefore(b, a) ? 1 : 0))
      .slice(0, o.top);
    const best = oks.find((p) => p.top[0] === top[0])!.best;
    const byEnergy = oks
      .map((p) => p.byEnergy)
      .reduce((a, b) => (b.run.energyMWh < a.run.energyMWh ? b : a));
    const sum = (f: (p: SearchResult) => number) =>
      parts.reduce((a, p) => a + (p.ok ? f(p) : 0), 0);
    return {
      ok: true,
      best,
      byEnergy,
      top,
      candidates: sum((p) => p.candidates),
      evaluated: sum((p) => p.evaluated),
      pruned: sum((p) => p.pruned),
      rejectedOOM: sum((p) => p.rejectedOOM),
      stoppedEarly: stopped(oks),
      elapsedMs: performance.now() - t0,
    };
  }

  /** The same answer as Simulator.sweep, with the values split across the workers. */
  async sweep(
    scenario: Scenario,
    options: SweepOptions,
    run: RunOptions = {},
  ): Promise<SweepResult | Failure> {
    const t0 = performance.now();
    const copied = copyScenario({ scenario, options });
    if (!copied.ok) return copied;
    scenario = copied.value.scenario;
    options = copied.value.options;
    if (!isRecord(options))
      return {
        ok: false,
        errors: [
          wrongType("options", "{axis, values, by?}", options, "must be {axis, values, by?}"),
        ],
        warnings: [],
      };
    const values = Array.isArray(options.values) ? options.values : [];
    const n = Math.max(1, Math.min(this.size, values.length));
    const chunks = Array.from({ length: n }, (_, k) =>
      values.slice(Math.floor((k * values.length) / n), Math.floor(((k + 1) * values.length) / n)),
    );
    const done = new Array<number>(n).fill(0);
    const by = isRecord(options.by) && Array.isArray(options.by.values) ? options.by.values : [];
    const total = values.length * Math.max(1, by.length);
    const parts = (await Promise.all(
      chunks.map((chunk, k) =>
        this.run(
          k,
          { kind: "sweep", scenario, options: { ...options, values: chunk } },
          (d) => {
            done[k] = d;
            run.onProgress?.(done.reduce((a, b) => a + b, 0) / Math.max(1, total));
          },
          run.signal,
        ),
      ),
    )) as (SweepResult | Failure)[];
    const failed = parts.find((p): p is Failure => !p.ok);
    if (failed) return failed;
    const oks = parts as SweepResult[];
    // Each worker swept a slice of the x values for every series: join the slices in order.
    const join = (pick: (p: SweepResult) => SweepColumns): SweepColumns => {
      const columns = {} as SweepColumns;
      for (const key of Object.keys(pick(oks[0])) as (keyof SweepColumns)[])
        (columns[key] as unknown[]) = oks.flatMap((p) => pick(p)[key] as unknown[]);
      return columns;
    };
    const series = oks[0].series?.map((s, k) => ({
      ...s,
      columns: join((p) => p.series![k].columns),
    }));
    return {
      ok: true,
      axis: options.axis,
      columns: series ? series[0].columns : join((p) => p.columns),
      ...(series ? { series } : {}),
      elapsedMs: performance.now() - t0,
    };
  }

  /** Stops every worker; the pool starts fresh ones if used again. */
  close(): void {
    for (const w of this.workers) void w?.then((h) => h.terminate());
    this.workers.fill(null);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(abortError());
    }
  }
}

/** The shards' stops summed: null when every shard scored all its plans. */
function stopped(parts: SearchResult[]): StoppedEarly | null {
  const stops = parts.map((p) => p.stoppedEarly).filter((x): x is StoppedEarly => x !== null);
  if (stops.length === 0) return null;
  const sum = (f: (x: StoppedEarly) => number) => stops.reduce((a, x) => a + f(x), 0);
  return {
    code: "budget",
    evaluated: sum((x) => x.evaluated),
    limit: stops.some((x) => x.limit === "ms") ? "ms" : "plans",
    meshesDone: sum((x) => x.meshesDone),
    meshesTotal: parts.reduce((a, p) => a + (p.stoppedEarly?.meshesTotal ?? 0), 0),
  };
}

/** A pool of `size` workers (default: one per core). */
export function createPool(size?: number): Promise<Pool> {
  return Pool.create(size);
}
