import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarkerReader } from "../../../src/engine/connection/marker-reader.js";

/** Feeds `data` to a reader in pieces cut at `cuts`. */
function feed(reader: MarkerReader, data: Buffer, cuts: number[]): void {
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (data.length + 1))].sort((a, b) => a - b).concat(data.length)) {
    reader.push(data.subarray(at, cut));
    at = Math.max(at, cut);
  }
}

describe("MarkerReader", () => {
  it("cuts at the marker however the stream is chunked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 50 }), fc.array(fc.nat(), { maxLength: 10 }), async (before, after, cuts) => {
        const marker = "__kplay_ab12_7__";
        const body = Buffer.from(before);
        fc.pre(!body.includes(marker));
        const reader = new MarkerReader();
        const result = reader.until(marker);
        feed(reader, Buffer.concat([body, Buffer.from(marker), Buffer.from(after)]), cuts);
        expect((await result).equals(body)).toBe(true);
        expect(reader.take().equals(Buffer.from(after))).toBe(true);
      }),
    );
  });

  it("finds a marker that was buffered before the wait began, and consecutive ones", async () => {
    const reader = new MarkerReader();
    reader.push(Buffer.from("one|two|"));
    expect((await reader.until("|")).toString()).toBe("one");
    expect((await reader.until("|")).toString()).toBe("two");
  });

  it("fails pending and later waits once the stream ends, keeping what was read", async () => {
    const reader = new MarkerReader();
    const pending = reader.until("END");
    reader.push(Buffer.from("partial"));
    reader.end(new Error("channel closed"));
    await expect(pending).rejects.toThrow("channel closed");
    await expect(reader.until("x")).rejects.toThrow("channel closed");
    expect(reader.take().toString()).toBe("partial");
  });

  it("lets a cancelled wait go and a new one start", async () => {
    const reader = new MarkerReader();
    void reader.until("never");
    reader.cancel();
    reader.push(Buffer.from("a;"));
    expect((await reader.until(";")).toString()).toBe("a");
  });
});
