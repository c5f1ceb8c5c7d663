// The whole scenario lives in the link's fragment (#...), so a link reproduces it and no length of
// it ever reaches a server (a long query string gets HTTP 431 before the page can say why); links
// with a query string (?...) from before still read. A URL is untrusted:
// every key must be known and every value must pass its check, or it is dropped with a
// message naming it; nothing from a URL is ever parsed as markup or code.

/** Checks one value: null if acceptable, else why not. */
export type Check = (value: string) => string | null;

const MAX_QUERY = 4000;
const MAX_VALUE = 200;

/** A typed number as the form accepts it ("2,048", "1e3", "-5" too: the library names the problem). */
export const numberText: Check = (v) =>
  /^[0-9.,_eE+\-\s]{0,40}$/.test(v) ? null : "is not a number";
export const oneOf =
  (options: readonly string[]): Check =>
  (v) =>
    options.includes(v) ? null : "is not one of the choices";

const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

export interface UrlRead {
  values: Map<string, string>;
  /** One line per rejected parameter, naming it. */
  problems: string[];
}

export function readQuery(search: string, checks: Record<string, Check>): UrlRead {
  const values = new Map<string, string>();
  const problems: string[] = [];
  if (search.length > MAX_QUERY)
    return {
      values,
      problems: [`the link is too long (${search.length} characters); it was ignored`],
    };
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search.startsWith("#") ? search.slice(1) : search);
  } catch {
    return { values, problems: ["the link's parameters could not be read; they were ignored"] };
  }
  for (const [key, value] of q) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
    if (!check) {
      problems.push(`unknown parameter ${shown(key)} was ignored`);
      continue;
    }
    if (value.length > MAX_VALUE) {
      problems.push(`${key}: value too long, ignored`);
      continue;
    }
    const why = check(value);
    if (why) {
      problems.push(`${key}: ${shown(value)} ${why}; ignored`);
      continue;
    }
    values.set(key, value);
  }
  return { values, problems };
}

/** The link's state: its fragment without "#", else its query string (older links). */
export function linkState(loc: { hash: string; search: string }): string {
  return loc.hash.length > 1 ? loc.hash.slice(1) : loc.search;
}

/** The state as a fragment ("#k=v&..."), or "" when there is none. */
export function writeQuery(values: Iterable<[string, string]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of values) if (v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `#${s}` : "";
}
