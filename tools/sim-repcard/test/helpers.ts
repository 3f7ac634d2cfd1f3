import { createRepcardSimulator, type RepcardSimulator, type RepcardSimulatorOptions } from '../src/index';

export const KEY = 'sim-repcard-key';

export interface Running {
  sim: RepcardSimulator;
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  json<T = Envelope>(path: string, headers?: Record<string, string>): Promise<T>;
}

export interface Envelope<T = Record<string, unknown>> {
  status: number;
  statusCode: number;
  message: string;
  result: { data: T[]; totalCount: number; currentPage: number; totalPages: number };
}

/** Starts a simulator on a free port; remember to `await running.sim.stop()`. */
export async function startSim(options: RepcardSimulatorOptions = {}): Promise<Running> {
  const sim = createRepcardSimulator({ rateLimit: 1_000_000, ...options });
  const { url } = await sim.start(0);
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}${path}`, { headers: { 'x-api-key': options.apiKey ?? KEY, ...headers } });
  const json = async <T = Envelope>(path: string, headers?: Record<string, string>): Promise<T> => {
    const res = await get(path, headers);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { sim, url, get, json };
}

/** Reads every page of a list endpoint by `totalPages`. */
export async function readAll(
  running: Running,
  path: string,
  perPage = 100,
): Promise<{ records: Record<string, unknown>[]; pages: Envelope[] }> {
  const sep = path.includes('?') ? '&' : '?';
  const pages: Envelope[] = [];
  const records: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const body = await running.json(`${path}${sep}page=${page}&per_page=${perPage}`);
    pages.push(body);
    records.push(...body.result.data);
    if (page >= body.result.totalPages) break;
  }
  return { records, pages };
}

export const idKey = (r: Record<string, unknown>): unknown => r.id ?? r._id;
