/**
 * Values PostgreSQL cannot store although nothing in them is wrong for the reader: a NUL character
 * (refused in `text` and, as `\u0000`, in `jsonb`) and a lone UTF-16 surrogate (refused in `jsonb`,
 * silently altered in `text`). Each such character becomes U+FFFD, the Unicode replacement
 * character, so the value keeps its length and shows where something was; `replaced` names the
 * places that were changed, for the record's note (ADR 0010). Pure.
 */

/** What an unstorable character becomes. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A record with more changes than this names the first ones only. */
const MAX_PATHS = 50;

export interface Storable<T> {
  /** The value itself when nothing had to change, else a copy with every string made storable. */
  value: T;
  /** The paths (`payload.notes`, `body.data.items[0].name`) whose string or key was changed. */
  replaced: string[];
}

/** The string made storable, or undefined when it already is. */
export function storableString(s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined;
  const fixed = s.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
  return fixed === s ? undefined : fixed;
}

/** `value` (a decoded record: JSON) with every string and object key made storable. */
export function makeStorable<T>(value: T): Storable<T> {
  const replaced: string[] = [];
  const out = walk(value, '', replaced) as T;
  return { value: out, replaced };
}

function note(replaced: string[], path: string): void {
  if (replaced.length < MAX_PATHS) replaced.push(path || '(value)');
}

function join(path: string, step: string | number): string {
  if (typeof step === 'number') return `${path}[${step}]`;
  return path ? `${path}.${step}` : step;
}

/** A field or item: a string is checked in place, its path made only when it changed. */
function child(item: unknown, path: string, step: string | number, replaced: string[]): unknown {
  if (typeof item === 'string') {
    const fixed = storableString(item);
    if (fixed === undefined) return item;
    note(replaced, join(path, step));
    return fixed;
  }
  return item !== null && typeof item === 'object' ? walk(item, join(path, step), replaced) : item;
}

function walk(v: unknown, path: string, replaced: string[]): unknown {
  if (typeof v === 'string') {
    const fixed = storableString(v);
    if (fixed === undefined) return v;
    note(replaced, path);
    return fixed;
  }
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    v.forEach((item, i) => {
      const w = child(item, path, i, replaced);
      if (w !== item) (copy ??= v.slice())[i] = w;
    });
    return copy ?? v;
  }
  if (v !== null && typeof v === 'object') {
    // Nothing is allocated until a key or a value has to change (almost never): the walk of every
    // decoded record stays cheap.
    const keys = Object.keys(v);
    let entries: (readonly [string, unknown])[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = (v as Record<string, unknown>)[key];
      const fixedKey = storableString(key);
      const k = fixedKey ?? key;
      if (fixedKey !== undefined) note(replaced, `${join(path, k)} (key)`);
      const w = child(item, path, k, replaced);
      if (entries === undefined && (fixedKey !== undefined || w !== item)) {
        entries = keys.slice(0, i).map((before) => [before, (v as Record<string, unknown>)[before]] as const);
      }
      entries?.push([k, w]);
    }
    return entries ? Object.fromEntries(entries) : v;
  }
  return v;
}
