/** Divisors of a positive integer n up to `limit`, ascending, in O(sqrt n). */
export function divisors(n: number, limit = n): number[] {
  const small: number[] = [],
    large: number[] = [];
  if (!Number.isInteger(n) || n < 1) return small;
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    if (d <= limit) small.push(d);
    const e = n / d;
    if (e !== d && e <= limit) large.push(e);
  }
  return small.concat(large.reverse());
}
