// The live answer's worker, kept alive: if it dies (an uncaught error in it, or no reply within
// the watchdog) it is replaced and the same request is asked again, once.
import type { Remote } from "comlink";
import type { WorkerApi } from "./worker.js";
import { spawnWorker } from "./lane.js";

/** A live answer takes milliseconds (an auto-plan search on 100k chips, tens of ms); far beyond that, the worker is gone. */
const WATCHDOG_MS = 20_000;

export class LiveWorker {
  private current = spawnWorker("live");
  private died: Promise<never> = this.watch();
  /** How many times a worker was replaced (shown to tests and to the curious). */
  restarts = 0;

  /** Runs `call` on the worker; a dead or silent worker is replaced and `call` asked again. */
  async ask<T>(call: (api: Remote<WorkerApi>) => Promise<T>): Promise<T> {
    try {
      return await this.race(call);
    } catch (e) {
      if (!(e instanceof WorkerDied)) throw e;
      this.replace();
      return this.race(call); // a second death is the caller's to report
    }
  }

  private race<T>(call: (api: Remote<WorkerApi>) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WorkerDied("no reply")), WATCHDOG_MS);
    });
    return Promise.race([call(this.current.api), this.died, silent]).finally(() =>
      clearTimeout(timer),
    );
  }

  private watch(): Promise<never> {
    const p = new Promise<never>((_, reject) => {
      this.current.worker.addEventListener(
        "error",
        (e) => {
          e.preventDefault(); // handled here: replaced on the next request
          reject(new WorkerDied(e.message || "worker error"));
        },
        { once: true },
      );
    });
    p.catch(() => {}); // observed by race(); unobserved deaths must not surface as unhandled
    return p;
  }

  private replace(): void {
    this.current.worker.terminate();
    this.current = spawnWorker("live");
    this.died = this.watch();
    this.restarts++;
    document.documentElement.dataset.workerRestarts = String(this.restarts);
  }
}

class WorkerDied extends Error {
  constructor(why: string) {
    super(`the computation's worker stopped (${why}); a new one was started`);
  }
}
