// The live answer's worker, kept alive: if it dies (an uncaught error in it, or no reply within
// the watchdog) it is replaced and the same request is asked again, once. A newer edit that
// arrives while a slow request runs replaces the worker at once, so it never waits for stale work.
import type { Remote } from "comlink";
import type { WorkerApi } from "./worker.js";
import { spawnWorker } from "./lane.js";

/**
 * A live answer takes milliseconds; the library's plan budget ends the largest auto-plan search
 * within seconds (bench/budget.mjs). Far beyond that, the worker is stuck.
 */
const WATCHDOG_MS = 15_000;
/**
 * A request older than this is abandoned (its worker replaced) when a newer edit arrives: only a
 * long search, as a fresh worker takes a while to start (slider storms must not churn workers).
 */
const STALE_MS = 2000;

export class LiveWorker {
  private current = spawnWorker("live");
  private died: Promise<never> = this.watch();
  /** Rejects the request in flight; set while one runs. */
  private interrupt: ((e: Error) => void) | undefined;
  private since = 0;
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

  /**
   * A newer request is waiting: a request in flight for more than STALE_MS is abandoned (it rejects
   * with Superseded) and its worker replaced; a younger one is let finish, as respawning costs more.
   */
  supersede(): void {
    if (!this.interrupt || performance.now() - this.since < STALE_MS) return;
    this.interrupt(new Superseded());
    this.replace();
  }

  private race<T>(call: (api: Remote<WorkerApi>) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WorkerDied("no reply")), WATCHDOG_MS);
      this.interrupt = reject;
    });
    this.since = performance.now();
    return Promise.race([call(this.current.api), this.died, stopped]).finally(() => {
      clearTimeout(timer);
      this.interrupt = undefined;
    });
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
    super(
      `the computation stopped (${why}) and was restarted; if the plan is "auto", a smaller cluster, batch or model searches faster`,
    );
  }
}

/** A request abandoned for a newer one: the caller computes the newer one instead. */
export class Superseded extends Error {
  constructor() {
    super("superseded by a newer edit");
  }
}
