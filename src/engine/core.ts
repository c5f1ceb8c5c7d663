// Loads the wasm core and exposes it as typed buffers. The only file that touches wasm.
import { ABI_VERSION, IN_SIZE, OUT_SIZE, SV_IN_SIZE, SO_OUT_SIZE } from "../../assembly/layout.js";

interface CoreExports {
  memory: WebAssembly.Memory;
  abiVersion(): number;
  inputPtr(): number;
  outputPtr(): number;
  simulate(): void;
  simulateFitting(): void;
  serveInputPtr(): number;
  serveOutputPtr(): number;
  serve(): void;
}

export class Core {
  private readonly exports: CoreExports;
  private inView: Float64Array;
  private outView: Float64Array;
  private serveInView: Float64Array;
  private serveOutView: Float64Array;

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as CoreExports;
    const abi = this.exports.abiVersion();
    if (abi !== ABI_VERSION)
      throw new Error(
        `chipscale.wasm has ABI ${abi}, this facade needs ${ABI_VERSION}: rebuild (npm run build)`,
      );
    this.inView = this.view(this.exports.inputPtr(), IN_SIZE);
    this.outView = this.view(this.exports.outputPtr(), OUT_SIZE);
    this.serveInView = this.view(this.exports.serveInputPtr(), SV_IN_SIZE);
    this.serveOutView = this.view(this.exports.serveOutputPtr(), SO_OUT_SIZE);
  }

  private view(ptr: number, size: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, size);
  }

  /** The input buffer; views are rebuilt if memory ever grew (growth detaches them). */
  get input(): Float64Array {
    if (this.inView.buffer !== this.exports.memory.buffer)
      this.inView = this.view(this.exports.inputPtr(), IN_SIZE);
    return this.inView;
  }

  get output(): Float64Array {
    if (this.outView.buffer !== this.exports.memory.buffer)
      this.outView = this.view(this.exports.outputPtr(), OUT_SIZE);
    return this.outView;
  }

  /** The serving input buffer (assembly/layout.ts SV_*); the model and hardware go in `input`. */
  get serveInput(): Float64Array {
    if (this.serveInView.buffer !== this.exports.memory.buffer)
      this.serveInView = this.view(this.exports.serveInputPtr(), SV_IN_SIZE);
    return this.serveInView;
  }

  /** Runs the serving model; returns the serving output buffer (SO_*). */
  serve(): Float64Array {
    this.exports.serve();
    if (this.serveOutView.buffer !== this.exports.memory.buffer)
      this.serveOutView = this.view(this.exports.serveOutputPtr(), SO_OUT_SIZE);
    return this.serveOutView;
  }

  run(): Float64Array {
    this.exports.simulate();
    return this.output;
  }

  /** As run(), but a plan that does not fit stops after memory: its time slots stay zero. */
  runFitting(): Float64Array {
    this.exports.simulateFitting();
    return this.output;
  }

  /** Bytes of wasm linear memory (flat over any number of calls: the core never allocates). */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}

export type WasmSource = BufferSource | WebAssembly.Module | URL | string;

const imports = {
  env: {
    // Only the debug build imports abort; the release build has none.
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`chipscale core aborted at ${line}:${col}`);
    },
  },
};

async function bytesOf(src: URL | string): Promise<BufferSource> {
  // A relative string resolves against build/src/, where the facade's entry (index.js) lives.
  const url = typeof src === "string" ? new URL(src, new URL("../", import.meta.url)) : src;
  if (url.protocol === "file:") {
    const fsName = "node:fs/promises"; // a variable keeps bundlers from resolving it for browsers
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import("node:fs/promises");
    return new Uint8Array(await fs.readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

export async function instantiateCore(src?: WasmSource): Promise<Core> {
  const source = src ?? new URL("../../chipscale.wasm", import.meta.url);
  const module =
    source instanceof WebAssembly.Module
      ? source
      : await WebAssembly.compile(
          source instanceof URL || typeof source === "string" ? await bytesOf(source) : source,
        );
  const instance = await WebAssembly.instantiate(module, imports);
  return new Core(instance);
}
