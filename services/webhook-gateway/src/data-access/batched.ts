/**
 * Calls that arrive while a batch is running share the next one: `run` gets every key waiting (each
 * once), and each caller resolves with its key's result (or rejects with the batch's error). At a
 * few thousand deliveries a second, one statement per batch instead of one per delivery keeps the
 * dedup table's cost flat.
 */
export function batched<R>(
  run: (keys: string[]) => Promise<ReadonlyMap<string, R>>,
  maxKeys = 1000,
): (key: string) => Promise<R> {
  const waiting = new Map<string, { resolve: (r: R) => void; reject: (e: unknown) => void }[]>();
  let running = false;

  async function drain(): Promise<void> {
    while (waiting.size > 0) {
      const keys = [...waiting.keys()].slice(0, maxKeys);
      const callers = keys.map((k) => [k, waiting.get(k)!] as const);
      for (const k of keys) waiting.delete(k);
      try {
        const results = await run(keys);
        for (const [key, list] of callers) {
          const result = results.get(key);
          for (const c of list) {
            if (result === undefined) c.reject(new Error(`no result for ${key}`));
            else c.resolve(result);
          }
        }
      } catch (err) {
        for (const [, list] of callers) for (const c of list) c.reject(err);
      }
    }
    running = false;
  }

  return (key) =>
    new Promise<R>((resolve, reject) => {
      const list = waiting.get(key) ?? [];
      list.push({ resolve, reject });
      waiting.set(key, list);
      if (!running) {
        running = true;
        void drain();
      }
    });
}

/** A batch of keys whose result is only done or failed. */
export function batchedVoid(
  run: (keys: string[]) => Promise<void>,
  maxKeys = 1000,
): (key: string) => Promise<void> {
  const call = batched<true>(async (keys) => {
    await run(keys);
    return new Map(keys.map((k) => [k, true as const]));
  }, maxKeys);
  return async (key) => {
    await call(key);
  };
}
