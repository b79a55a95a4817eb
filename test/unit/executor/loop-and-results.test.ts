import { expect, test } from "vitest";
import { loopItems } from "../../../src/engine/executor/loop-items.js";
import { censored, loopResult, NO_LOG_MESSAGE, statusOf } from "../../../src/engine/executor/results.js";
import { stripOmitted } from "../../../src/engine/executor/omit.js";
import { OMIT } from "../../../src/engine/expr/values.js";

test("with_* lookups shape items as Ansible does", () => {
  expect(loopItems([1, [2, 3], [[4]]], "items", "t")).toEqual([1, 2, 3, [4]]);
  expect(loopItems("one", "items", "t")).toEqual(["one"]);
  expect(loopItems([1, [2, [3]]], "flattened", "t")).toEqual([1, 2, 3]);
  expect(loopItems({ a: 1, b: 2 }, "dict", "t")).toEqual([{ key: "a", value: 1 }, { key: "b", value: 2 }]);
  expect(loopItems(["x", "y"], "indexed_items", "t")).toEqual([[0, "x"], [1, "y"]]);
  expect(loopItems([[1, 2], ["a", "b"]], "nested", "t")).toEqual([[1, "a"], [1, "b"], [2, "a"], [2, "b"]]);
  expect(loopItems([[1, 2], ["a"]], "together", "t")).toEqual([[1, "a"], [2, null]]);
});

test("loop: needs a list; unknown lookups are named with the supported ones", () => {
  expect(loopItems([1, 2], undefined, "t")).toEqual([1, 2]);
  expect(() => loopItems("a,b", undefined, "t")).toThrow(/requires a list/);
  expect(() => loopItems([], "fileglob", "t")).toThrow(/with_fileglob is not supported/);
});

test("a loop's result: failed if any item failed, skipped only if all were", () => {
  expect(loopResult([{ changed: true }, { skipped: true }])).toMatchObject({ changed: true, msg: "All items completed" });
  expect(statusOf(loopResult([{ changed: false }, { failed: true }]))).toBe("failed");
  expect(statusOf(loopResult([{ skipped: true }]))).toBe("skipped");
  expect(loopResult([])).toMatchObject({ skipped: true, msg: "No items in the list", results: [] });
});

test("censoring keeps the status and a failure's reason, hides everything else", () => {
  expect(censored({ changed: true, stdout: "secret" })).toEqual({ censored: NO_LOG_MESSAGE, changed: true });
  expect(censored({ changed: false, failed: true, msg: "non-zero return code", rc: 2, stderr: "secret" })).toEqual({
    censored: NO_LOG_MESSAGE, changed: false, failed: true, msg: "non-zero return code", rc: 2,
  });
  expect(censored({ changed: false, results: [{ changed: false, stdout: "secret" }] }).results).toEqual([{ censored: NO_LOG_MESSAGE, changed: false }]);
});

test("omitted arguments disappear at every depth", () => {
  expect(stripOmitted({ a: OMIT, b: 1, c: { d: OMIT, e: [OMIT, 2] } })).toEqual({ b: 1, c: { e: [2] } });
});
