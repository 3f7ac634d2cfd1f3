/**
 * The V8 flags the services start with (ADR 0023, addenda 2 and 4): none by default.
 * `TRIBUTARY_NODE_FLAGS` sets them for every service a launcher starts: npm start (tools/run), the
 * services the tests and benchmarks start (testkit) and the image's entrypoint
 * (deploy/docker/entrypoint.sh). Node refuses heap flags in NODE_OPTIONS, so each launcher puts
 * them on the command line.
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

/** The node flags a service starts with: the words of TRIBUTARY_NODE_FLAGS, else none. */
export function serviceNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.TRIBUTARY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}
