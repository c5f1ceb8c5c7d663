// Stragglers: every rank's compute time varies a little from step to step, and a synchronous step
// waits for the slowest of the n ranks that synchronise. With per-rank times normal around their
// mean (coefficient of variation cv), the wait is cv x compute x E[max of n standard normals].

// E[max of n standard normals] by Blom's plotting position, Phi^-1((n - 0.375) / (n + 0.25))
// (Blom 1958, "Statistical Estimates and Transformed Beta-Variables"; Harter 1961 tabulates the
// exact values: 1.4236 for n = 8, 3.2414 for n = 1000), with Phi^-1 of the upper tail from
// Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4).
export function expectedMaxOfNormals(n: f64): f64 {
  if (n <= 1) return 0;
  const tail = 1 - (n - 0.375) / (n + 0.25);
  const t = Math.sqrt(-2 * Math.log(tail));
  return (
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) /
      (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
}

/** Seconds a step waits for its slowest of `ranks` ranks whose compute takes `computeS` on average. */
export function stragglerTime(cv: f64, computeS: f64, ranks: f64): f64 {
  return cv * computeS * expectedMaxOfNormals(ranks);
}
