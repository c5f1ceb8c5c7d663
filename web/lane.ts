// A lane: one worker that does one job at a time. Starting a job while another runs
// terminates the worker (the only way to stop a synchronous search mid-way) and starts afresh,
// so stale searches and sweeps never compete with the one the user now wants.
import { proxy, wrap, type Remote } from "comlink";
import type { WorkerApi } from "./worker.js";

export type Progress = (done: number, total: number) => void;

export function spawnWorker(): { api: Remote<WorkerApi>; worker: Worker } {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  return { api: wrap<WorkerApi>(worker), worker };
}

export class Lane {
  private current: { api: Remote<WorkerApi>; worker: Worker } | undefined;
  private busy = false;
  private job = 0;

  /** `progress` is a <progress> element shown while the job runs. */
  constructor(private readonly progress?: HTMLProgressElement) {}

  /** The job's value, or undefined when a newer job superseded it. */
  async run<T>(job: (api: Remote<WorkerApi>, onProgress: Progress) => Promise<T>): Promise<T | undefined> {
    const id = ++this.job;
    if (this.busy && this.current) {
      this.current.worker.terminate();
      this.current = undefined;
    }
    this.current ??= spawnWorker();
    this.busy = true;
    this.show(0, 0);
    const onProgress = proxy((done: number, total: number) => { if (id === this.job) this.show(done, total); });
    try {
      const value = await job(this.current.api, onProgress);
      return id === this.job ? value : undefined;
    } catch (e) {
      if (id !== this.job) return undefined; // the terminated worker's call never settles, but be safe
      throw e;
    } finally {
      if (id === this.job) {
        this.busy = false;
        if (this.progress) this.progress.hidden = true;
      }
    }
  }

  /** A total of 0 means unknown: the bar runs indeterminate. */
  private show(done: number, total: number): void {
    if (!this.progress) return;
    this.progress.hidden = false;
    if (total <= 0) { this.progress.removeAttribute("value"); return; }
    this.progress.max = total;
    this.progress.value = done;
  }
}
