import type { Timers } from '../src/entry-points/cron';

/** A clock and timers the test moves by hand: `advance` fires every timer that falls due. */
export function manualTime(startIso: string) {
  let now = new Date(startIso).getTime();
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    clock: { now: () => new Date(now) },
    timers,
    pending: () => [...pending.values()].map((p) => p.at - now),
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, p]) => p.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
        for (let i = 0; i < 10; i++) await Promise.resolve(); // let the firing's promise chain settle
      }
      now = end;
    },
  };
}
