// A lane: one worker that does one job at a time. Starting a job while another runs
// terminates the worker (the only way to stop a synchronous search mid-way) and starts afresh,
// so stale searches and sweeps never compete with the one the user now wants.
import { proxy, wrap, type Remote } from "comlink";
import type { WorkerApi } from "./worker.js";

export type Progress = (done: number, total: number) => void;

/** `name` labels the worker in the browser's tools (and lets tests find the live one). */
export function spawnWorker(name = "lane"): { api: Remote<WorkerApi>; worker: Worker } {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name });
  return { api: wrap<WorkerApi>(worker), worker };
}

const SUPERSEDED = Symbol("superseded");

export class Lane {
  private current: { api: Remote<WorkerApi>; worker: Worker } | undefined;
  /** Settles the running job as superseded; set while a job runs. */
  private abort: (() => void) | undefined;

  private readonly progress: HTMLProgressElement | null = null;

  /**
   * `job` (optional) holds a <progress> and a Cancel <button>, shown while a job runs;
   * `onCancel` hears that the user stopped one.
   */
  constructor(
    private readonly job?: HTMLElement,
    onCancel?: () => void,
  ) {
    if (!job) return;
    this.progress = job.querySelector("progress");
    job.querySelector("button")?.addEventListener("click", () => {
      this.cancel();
      onCancel?.();
    });
  }

  /** The job's value, or undefined when a newer job (or `cancel`) superseded it. */
  async run<T>(
    work: (api: Remote<WorkerApi>, onProgress: Progress) => Promise<T>,
  ): Promise<T | undefined> {
    this.cancel();
    this.current ??= spawnWorker();
    const stopped = new Promise<typeof SUPERSEDED>((resolve) => {
      this.abort = () => resolve(SUPERSEDED);
    });
    const mine = this.abort;
    this.show(0, 0);
    const onProgress = proxy((done: number, total: number) => {
      if (this.abort === mine) this.show(done, total);
    });
    try {
      const value = await Promise.race([work(this.current.api, onProgress), stopped]);
      return value === SUPERSEDED ? undefined : (value as T);
    } finally {
      if (this.abort === mine) {
        this.abort = undefined;
        if (this.job) this.job.hidden = true;
      }
    }
  }

  /** Stops the running job, if any: its worker is terminated and its caller gets undefined. */
  cancel(): void {
    if (!this.abort) return;
    this.abort();
    this.abort = undefined;
    this.current?.worker.terminate();
    this.current = undefined;
    if (this.job) this.job.hidden = true;
  }

  /** A total of 0 means unknown: the bar runs indeterminate. */
  private show(done: number, total: number): void {
    if (!this.job || !this.progress) return;
    this.job.hidden = false;
    if (total <= 0) {
      this.progress.removeAttribute("value");
      return;
    }
    this.progress.max = total;
    this.progress.value = done;
  }
}
