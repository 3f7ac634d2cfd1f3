import type { ServiceProcess } from './service-process';

/**
 * A service's internal port (`/readyz`, `/metrics`) from its `service.started` line; a service
 * without one (`INTERNAL_PORT` unset) serves them on its HTTP port.
 */
export async function internalPort(service: ServiceProcess): Promise<number> {
  await service.port();
  for (const l of service.lines) {
    if (!l.includes('"service.started"')) continue;
    try {
      const p = (JSON.parse(l) as { internalPort?: number }).internalPort;
      if (typeof p === 'number') return p;
    } catch {
      /* not JSON */
    }
  }
  return service.port();
}

/**
 * The sum of a metric's samples on a service's /metrics whose labels include `label` (every one of
 * them, given a list: e.g. `['entity="customers"', 'outcome="found"']`), or NaN (no such sample, or
 * the scrape failed).
 */
export async function metricValue(
  service: ServiceProcess,
  name: string,
  label: string | readonly string[] = '',
): Promise<number> {
  const labels = typeof label === 'string' ? [label] : label;
  try {
    const text = await (await fetch(`http://127.0.0.1:${await internalPort(service)}/metrics`)).text();
    const samples = text
      .split('\n')
      .filter(
        (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((x) => l.includes(x)),
      )
      .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
    return samples.length ? samples.reduce((a, b) => a + b, 0) : NaN;
  } catch {
    return NaN;
  }
}
