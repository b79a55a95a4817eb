import { describe, expect, test } from "vitest";
import { exceedsMaxFailPercentage, orderHosts, serialBatches } from "../../../src/engine/executor/batches.js";

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i + 1}`);

describe("serialBatches", () => {
  test("no serial: one batch of every host", () => {
    expect(serialBatches(hosts(3), undefined)).toEqual([["h1", "h2", "h3"]]);
  });

  test("a number: batches of that size, the last one shorter", () => {
    expect(serialBatches(hosts(5), [2])).toEqual([["h1", "h2"], ["h3", "h4"], ["h5"]]);
  });

  test("a list: its last size repeats", () => {
    expect(serialBatches(hosts(7), [1, 2])).toEqual([["h1"], ["h2", "h3"], ["h4", "h5"], ["h6", "h7"]]);
  });

  test("percentages round down but never below one host", () => {
    expect(serialBatches(hosts(10), ["20%"])).toEqual([["h1", "h2"], ["h3", "h4"], ["h5", "h6"], ["h7", "h8"], ["h9", "h10"]]);
    expect(serialBatches(hosts(3), ["10%"])).toEqual([["h1"], ["h2"], ["h3"]]);
    expect(serialBatches(hosts(4), ["1", "50%"])).toEqual([["h1"], ["h2", "h3"], ["h4"]]);
  });

  test("zero means the rest in one batch", () => {
    expect(serialBatches(hosts(4), [1, 0])).toEqual([["h1"], ["h2", "h3", "h4"]]);
  });

  test("no hosts: no batches", () => {
    expect(serialBatches([], [2])).toEqual([]);
  });
});

test("order: reverse and sorted orders, shuffle keeps every host", () => {
  const inv = ["b", "c", "a"];
  expect(orderHosts(inv, undefined)).toEqual(["b", "c", "a"]);
  expect(orderHosts(inv, "reverse_inventory")).toEqual(["a", "c", "b"]);
  expect(orderHosts(inv, "sorted")).toEqual(["a", "b", "c"]);
  expect(orderHosts(inv, "reverse_sorted")).toEqual(["c", "b", "a"]);
  expect(orderHosts(inv, "shuffle", () => 0).sort()).toEqual(["a", "b", "c"]);
  expect(orderHosts(inv, "shuffle", () => 0)).not.toEqual(inv);
});

test("max_fail_percentage must be exceeded, not reached", () => {
  expect(exceedsMaxFailPercentage(1, 4, 25)).toBe(false);
  expect(exceedsMaxFailPercentage(2, 4, 25)).toBe(true);
  expect(exceedsMaxFailPercentage(0, 4, 0)).toBe(false);
  expect(exceedsMaxFailPercentage(1, 4, 0)).toBe(true);
  expect(exceedsMaxFailPercentage(4, 4, undefined)).toBe(false);
});
