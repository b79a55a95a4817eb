// Which hosts a play runs on, in which order, and in which `serial` batches (Ansible's rules).
import type { Play } from "../playbook/model.js";

/** Ansible's pct_to_int: "20%" of n rounded down but at least 1; plain numbers as given. */
function batchSize(entry: number | string, total: number): number {
  if (typeof entry === "string" && entry.trim().endsWith("%")) {
    const pct = Number(entry.trim().slice(0, -1));
    return Math.floor((pct / 100) * total) || 1;
  }
  return Math.trunc(Number(entry));
}

/** Splits hosts into batches; the last serial entry repeats; 0, absent or too big means one batch. */
export function serialBatches<T>(hosts: T[], serial: Array<number | string> | undefined): T[][] {
  if (!serial || serial.length === 0 || hosts.length === 0) return hosts.length ? [hosts] : [];
  const batches: T[][] = [];
  let start = 0;
  let index = 0;
  while (start < hosts.length) {
    const size = batchSize(serial[Math.min(index, serial.length - 1)], hosts.length);
    if (!(size > 0)) {
      batches.push(hosts.slice(start));
      break;
    }
    batches.push(hosts.slice(start, start + size));
    start += size;
    index++;
  }
  return batches;
}

/** The play's `order:` applied to hosts given in inventory order. */
export function orderHosts(hosts: string[], order: Play["order"], random: () => number = Math.random): string[] {
  switch (order) {
    case "reverse_inventory":
      return [...hosts].reverse();
    case "sorted":
      return [...hosts].sort();
    case "reverse_sorted":
      return [...hosts].sort().reverse();
    case "shuffle": {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    default:
      return hosts;
  }
}

/** max_fail_percentage: the batch stops when failures EXCEED the percentage (Ansible's rule). */
export function exceedsMaxFailPercentage(failed: number, batchSize: number, maxFailPercentage: number | undefined): boolean {
  if (maxFailPercentage === undefined || batchSize === 0) return false;
  return (failed / batchSize) * 100 > maxFailPercentage;
}
