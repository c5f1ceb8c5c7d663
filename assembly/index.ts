// The core's whole ABI: a version, preallocated buffers, and the entry points.
// The facade writes inputs at inputPtr(), calls simulate(), reads outputs at outputPtr();
// the search calls simulateFitting(), which leaves the time of a plan that does not fit unset.
// Serving reads inputPtr() and serveInputPtr(), and fills serveOutputPtr().
import { ABI_VERSION, IN_SIZE, OUT_SIZE, SV_IN_SIZE, SO_OUT_SIZE } from "./layout";
import { simulate as run } from "./simulate";
import { serve as runServe } from "./serve";

const input = new StaticArray<f64>(IN_SIZE);
const output = new StaticArray<f64>(OUT_SIZE);
const serveInput = new StaticArray<f64>(SV_IN_SIZE);
const serveOutput = new StaticArray<f64>(SO_OUT_SIZE);

export function abiVersion(): i32 {
  return ABI_VERSION;
}
export function inputPtr(): usize {
  return changetype<usize>(input);
}
export function outputPtr(): usize {
  return changetype<usize>(output);
}
export function simulate(): void {
  run(input, output, false);
}
export function simulateFitting(): void {
  run(input, output, true);
}
export function serveInputPtr(): usize {
  return changetype<usize>(serveInput);
}
export function serveOutputPtr(): usize {
  return changetype<usize>(serveOutput);
}
export function serve(): void {
  runServe(input, serveInput, serveOutput);
}
