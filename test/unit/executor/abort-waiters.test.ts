import { afterEach, expect, it } from "vitest";
import { onAbort } from "../../../src/engine/executor/abort-waiters.js";

const warnings: Error[] = [];
const record = (w: Error) => warnings.push(w);

afterEach(() => {
  process.off("warning", record);
  warnings.length = 0;
});

it("lets any number of tasks wait on one signal without Node's listener warning, each called once", async () => {
  process.on("warning", record);
  const controller = new AbortController();
  const calls: number[] = [];
  const stops = Array.from({ length: 50 }, (_, i) => onAbort(controller.signal, () => calls.push(i)));
  stops[7]();
  controller.abort();
  controller.abort();
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 7));
  expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
});
