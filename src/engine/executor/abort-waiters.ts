// Many tasks wait on the run's one abort signal at once (one per host in flight). A listener per
// task would pass Node's limit of 10 listeners (a warning on stderr at -f 11) and cost a linear
// removal each time; one listener per signal calls every waiter instead.
const waitersOf = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts; returns the function that stops waiting. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let waiters = waitersOf.get(signal);
  if (!waiters) {
    const all = new Set<() => void>();
    signal.addEventListener("abort", () => {
      for (const waiter of all) waiter();
      all.clear();
    }, { once: true });
    waitersOf.set(signal, (waiters = all));
  }
  waiters.add(callback);
  return () => waiters.delete(callback);
}
