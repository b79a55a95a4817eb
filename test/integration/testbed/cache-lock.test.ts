import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { withCacheLock } from "../../support/cache-lock.js";

describe("withCacheLock (serialises image builds across vitest workers)", () => {
  it("runs holders of the same lock one after the other and releases it after a failure", async () => {
    const name = `lock-test-${process.pid}`;
    const events: string[] = [];
    const holder = (id: string) =>
      withCacheLock(name, async () => {
        events.push(`${id} in`);
        await sleep(300);
        events.push(`${id} out`);
        if (id === "a") throw new Error("a failed");
      });
    const results = await Promise.allSettled([holder("a"), holder("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    // Either may win the race; the other must wait until the first is out.
    const [first, second] = events[0] === "a in" ? ["a", "b"] : ["b", "a"];
    expect(events).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });
});
