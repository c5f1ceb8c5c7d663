// "Did you mean": the known ids closest to a mistyped one, for error messages.

/** Edit distance (Levenshtein), two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * Up to `max` known ids like `input`: those containing every word of it ("h100" finds the H100
 * variants), else those within a few edits ("trainig" finds "training").
 */
export function closest(input: string, known: readonly string[], max = 3): string[] {
  const text = input.toLowerCase().slice(0, 80);
  const words = text.split(/[^a-z0-9.]+/).filter(Boolean);
  if (words.length > 0) {
    const containing = known.filter((k) => words.every((w) => k.toLowerCase().includes(w)));
    if (containing.length > 0) return containing.slice(0, max);
  }
  const limit = Math.max(2, Math.floor(text.length / 3));
  // A typo in the leading part of a long id ("nvidia-h30" for "nvidia-h20-96gb") counts against
  // that part, with half an edit for leaving the rest off.
  return known
    .map((k) => {
      const full = distance(text, k.toLowerCase());
      return {
        k,
        full,
        d: Math.min(full, distance(text, k.toLowerCase().slice(0, text.length)) + 0.5),
      };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.full - b.full)
    .slice(0, max)
    .map((x) => x.k);
}

/** " (did you mean a, b?)" or "" when nothing is close. */
export function didYouMean(input: string, known: readonly string[]): string {
  const near = closest(input, known);
  return near.length ? ` (did you mean ${near.join(", ")}?)` : "";
}
