/** A JSON object as received from a source (nothing about its fields is known yet). */
export type Json = Record<string, unknown>;

/** `v` when it is a plain object, else null. */
export function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

/** The value at a dotted path (`office.name`), and whether every step of it is present. */
export function at(record: Json, path: string): { present: boolean; value: unknown } {
  let current: unknown = record;
  for (const step of path.split('.')) {
    const o = obj(current);
    if (!o || !Object.prototype.hasOwnProperty.call(o, step)) return { present: false, value: undefined };
    current = o[step];
  }
  return { present: true, value: current };
}
