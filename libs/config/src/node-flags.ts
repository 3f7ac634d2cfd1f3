/**
 * The V8 flags the services start with (ADR 0023, addenda 2, 4 and 9): the projector's own
 * (PROJECTOR_NODE_FLAGS), none for the others. `TRIBUTARY_NODE_FLAGS`, when set (even empty), replaces
 * them for every service a launcher starts: npm start (tools/run), the services the tests and
 * benchmarks start (testkit) and the image's entrypoint (deploy/docker/entrypoint.sh). Node refuses
 * heap flags in NODE_OPTIONS, so each launcher puts them on the command line.
 *
 * SMALL_HEAP_NODE_FLAGS were the projector's defaults until addendum 4: they hold it at ~230 MiB
 * while it drains a backlog (~450 MiB with V8's default heap), but V8 then runs a full collection
 * every few MiB promoted, which costs a third of the drain rate and, on the live path, a pause of
 * up to 50 ms every half second: webhook rows reached Postgres 3× later (p99 ~1 s against ~330 ms at
 * 1,000 deliveries/s). For a projector that must fit a small memory limit, and can wait.
 */
export const SMALL_HEAP_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  '--heap-growing-percent=20',
];

/**
 * The projector's flags (addenda 9 and 11): a young generation of 16 MiB semi-spaces and an old
 * generation capped at 1,792 MiB, a cap it never nears (its live heap is ~50 MiB) but which makes V8
 * grow the heap by less between full collections. Draining a 1M backlog it then peaks at ~245 MiB RSS
 * instead of ~430-460 on V8's default heap. With 8 MiB semi-spaces (addendum 9) it scavenged ~470
 * times in a 30 s webhook run at ~10 ms each, a fifth of its CPU; 16 MiB took ~10% off its CPU there,
 * and 32 MiB a fifth but peaked at 305 MiB draining 1M records. The image's entrypoint holds the same
 * words (node-flags.unit.test.ts checks they agree).
 */
export const PROJECTOR_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=16',
  '--max-old-space-size=1792',
];

const SERVICE_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = { projector: PROJECTOR_NODE_FLAGS };

/** The node flags `service` starts with: the words of TRIBUTARY_NODE_FLAGS when set, else its own. */
export function serviceNodeFlags(env: NodeJS.ProcessEnv = process.env, service?: string): string[] {
  if (env.TRIBUTARY_NODE_FLAGS !== undefined) return env.TRIBUTARY_NODE_FLAGS.split(' ').filter(Boolean);
  return [...((service && SERVICE_NODE_FLAGS[service]) || [])];
}
