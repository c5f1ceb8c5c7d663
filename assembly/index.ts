// The core's whole ABI: a version, two preallocated buffers, and two entry points.
// The facade writes inputs at inputPtr(), calls simulate(), reads outputs at outputPtr();
// the search calls simulateFitting(), which leaves the time of a plan that does not fit unset.
import { ABI_VERSION, IN_SIZE, OUT_SIZE } from "./layout";
import { simulate as run } from "./simulate";

const input = new StaticArray<f64>(IN_SIZE);
const output = new StaticArray<f64>(OUT_SIZE);

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
