/** Divisors of a positive integer n up to `limit`, ascending, in O(sqrt n). */
export function divisors(n: number, limit = n): number[] {
  const small: number[] = [],
    large: number[] = [];
  if (!Number.isInteger(n) || n < 1) return small;
  // Only divisors up to `limit` are wanted: below sqrt(n) test just those (a search asks for the
  // micro-batch divisors <= 64 of batches near 1e9 at every mesh shape).
  if (limit * limit < n) {
    for (let d = 1; d <= limit; d++) if (n % d === 0) small.push(d);
    return small;
  }
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    if (d <= limit) small.push(d);
    const e = n / d;
    if (e !== d && e <= limit) large.push(e);
  }
  return small.concat(large.reverse());
}
