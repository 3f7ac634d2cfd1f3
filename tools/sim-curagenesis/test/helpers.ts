/** Shared test plumbing: a simulator on port 0 and an authenticated GET. */
import { createCuragenesisSimulator, type CuragenesisSimulator, type SimulatorOptions } from '../src';

export const KEY = 'test-key';

/** Parsed JSON bodies are loosely typed on purpose: tests read deep fields and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Running {
  sim: CuragenesisSimulator;
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: Json }>;
}

export async function startSim(options: SimulatorOptions = {}): Promise<Running> {
  const sim = createCuragenesisSimulator({ seed: 7, practices: 120, orders: 3_000, apiKey: KEY, ...options });
  const { url } = await sim.start(0);
  const header = options.authHeader ?? 'x-vendor-key';
  return {
    sim,
    url,
    async get(path, headers = { [header]: options.apiKey ?? KEY }) {
      const res = await fetch(`${url}${path}`, { headers });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}

/** Reads every page of a list endpoint; answers all items and the raw pages. */
export async function readAll(
  run: Running,
  path: string,
): Promise<{ items: Json[]; pages: { items: Json[]; nextCursor?: string }[] }> {
  const pages: { items: Json[]; nextCursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await run.get(
      cursor === undefined ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`,
    );
    if (res.status !== 200)
      throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor !== undefined);
  return { items: pages.flatMap((p) => p.items), pages };
}
