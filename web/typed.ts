// What the user typed in a number field, as the library takes it: one reading for every field.

/** A number if the text is one ("2,048", "4 000" and "1e3" too); otherwise the text itself, for the
 * library to reject by name; nothing for an empty field. */
export function typedNumber(raw: string): number | string | undefined {
  const t = raw.trim().replace(/[,_\s]/g, "");
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : raw.trim();
}
