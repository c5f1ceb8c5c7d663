// A pool worker (Web Worker or Node worker_threads): runs one share of a search or sweep.
import { load, type Simulator } from "./simulator.js";
import type { PoolRequest, PoolReply } from "./pool.js";

interface Port {
  post(msg: PoolReply): void;
  listen(handler: (msg: PoolRequest) => void): void;
}

async function port(): Promise<Port> {
  const g = globalThis as unknown as {
    postMessage?: (m: unknown) => void;
    addEventListener?: (t: string, h: (e: MessageEvent) => void) => void;
    WorkerGlobalScope?: unknown;
  };
  if (g.WorkerGlobalScope !== undefined && g.postMessage && g.addEventListener) {
    const post = g.postMessage.bind(globalThis);
    const add = g.addEventListener.bind(globalThis);
    return {
      post: (m) => post(m),
      listen: (h) => add("message", (e: MessageEvent) => h(e.data as PoolRequest)),
    };
  }
  const name = "node:worker_threads";
  const { parentPort } = (await import(
    /* @vite-ignore */ name
  )) as typeof import("node:worker_threads");
  if (!parentPort) throw new Error("pool-worker must run as a worker");
  return { post: (m) => parentPort.postMessage(m), listen: (h) => parentPort.on("message", h) };
}

function handle(sim: Simulator, req: PoolRequest, p: Port): void {
  let last = 0;
  const progress = (done: number, total: number) => {
    const now = Date.now();
    if (now - last > 50 || done === total) {
      last = now;
      p.post({ id: req.id, type: "progress", done, total });
    }
  };
  try {
    const value =
      req.kind === "search"
        ? sim.search(req.scenario, { ...req.options, shard: req.shard, onProgress: progress })
        : sim.sweep(req.scenario, req.options, progress);
    p.post({ id: req.id, type: "result", value });
  } catch (e) {
    p.post({ id: req.id, type: "error", message: (e as Error)?.message ?? String(e) });
  }
}

void (async () => {
  const p = await port();
  const queue: PoolRequest[] = [];
  let sim: Simulator | null = null;
  p.listen((req) => {
    if (sim) handle(sim, req, p);
    else queue.push(req);
  });
  sim = await load();
  for (const req of queue.splice(0)) handle(sim, req, p);
})();
