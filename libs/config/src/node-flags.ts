/**
 * The V8 flags each service runs with (ADR 0023, addendum 2). The projector's heap is held under
 * 300 MiB on a backlog: V8 lets the old generation grow to several times what is live before a full
 * collection (peak RSS 400–600 MiB draining 100k records); growing it by 20% at a time, with
 * semi-spaces of 8 MiB, and fetches of 8 MiB (addendum 3) keep it at 238–262 MiB, for about a third
 * more node CPU per row on a backlog. Node refuses these flags in
 * NODE_OPTIONS, so every launcher puts them on the command line: npm start (tools/run), the
 * services the tests and benchmarks start (testkit), and the image's entrypoint
 * (deploy/docker/entrypoint.sh, a copy checked by node-flags.unit.test.ts). `TRIBUTARY_NODE_FLAGS`
 * replaces them (empty: none).
 */
export const SERVICE_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  projector: ['--max-semi-space-size=8', '--heap-growing-percent=20'],
};

/** The node flags to start service `name` with: TRIBUTARY_NODE_FLAGS when set, else its defaults. */
export function serviceNodeFlags(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = env.TRIBUTARY_NODE_FLAGS;
  if (own !== undefined) return own.split(' ').filter(Boolean);
  return [...(SERVICE_NODE_FLAGS[name] ?? [])];
}
