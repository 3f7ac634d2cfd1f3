/** Small, total converters from loosely typed API values to column values (null when absent or unusable). */

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.length ? v : null;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return null;
}

/** ISO-like timestamp (`2019-01-10T18:33:31.000000Z`, epoch ms) → ISO string, or null. */
export function ts(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString();
  if (typeof v !== 'string' || v.trim() === '') return null;
  const d = new Date(v.trim().replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * A local wall-clock time (`2024-05-17 20:45:00`) in an IANA zone → UTC ISO string.
 * Without a usable zone the wall clock is read as UTC.
 */
export function zonedToUtc(local: unknown, zone: unknown): string | null {
  if (typeof local !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(local.trim());
  if (!m) return ts(local);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (typeof zone !== 'string' || !zone) return new Date(asUtc).toISOString();
  try {
    // Two passes settle the offset across DST transitions.
    let guess = asUtc;
    for (let i = 0; i < 2; i++) guess = asUtc - offsetMs(guess, zone);
    return new Date(guess).toISOString();
  } catch {
    return new Date(asUtc).toISOString();
  }
}

function offsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The last path segment of a URL, decoded, without query string. */
export function fileNameFromUrl(url: string | null): string | null {
  if (!url) return null;
  const path = url.split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).pop();
  if (!last) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const IMAGE = /\.(png|jpe?g|gif|webp|heic|bmp|tiff?)$/i;
const DOCUMENT = /\.(pdf|docx?|xlsx?|csv|txt|rtf|pptx?)$/i;

export function typeFromFileName(name: string | null): string | null {
  if (!name) return null;
  if (IMAGE.test(name)) return 'image';
  if (DOCUMENT.test(name)) return 'document';
  return 'file';
}
