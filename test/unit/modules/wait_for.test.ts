import { describe, expect, it } from "vitest";
import { describeTarget, portProbe, satisfied, toJsRegex, type WaitForArgs } from "../../../src/modules/wait_for.js";

const args = (more: Partial<WaitForArgs>): WaitForArgs => ({ host: "127.0.0.1", state: "started", timeout: 300, delay: 0, sleep: 1, connect_timeout: 5, ...more });

describe("wait_for", () => {
  it("decides when a wait is over", () => {
    expect(satisfied(args({ port: 80 }), { ok: true }).done).toBe(true);
    expect(satisfied(args({ port: 80, state: "stopped" }), { ok: true }).done).toBe(false);
    expect(satisfied(args({ path: "/f", state: "absent" }), { ok: false }).done).toBe(true);
    expect(satisfied(args({ path: "/f", search_regex: "^ready$" }), { ok: true, text: "boot\nready\n" }).done).toBe(true);
    expect(satisfied(args({ path: "/f", search_regex: "ready" }), { ok: false }).done).toBe(false);
    expect(satisfied(args({ path: "/f", search_regex: "ready", state: "absent" }), { ok: true, text: "gone" }).done).toBe(true);
  });

  it("translates Python's named groups", () => {
    expect("v=1.2".match(toJsRegex("v=(?P<version>[\\d.]+)"))?.groups).toEqual({ version: "1.2" });
    expect(() => toJsRegex("(")).toThrow(/not a valid regular expression/);
  });

  it("says what it waits for", () => {
    expect(describeTarget(args({ port: 6443, host: "10.0.0.1" }))).toBe("port 6443 on 10.0.0.1 to be open");
    expect(describeTarget(args({ path: "/f", state: "absent" }))).toBe("file /f to be absent");
    expect(describeTarget(args({ path: "/f", search_regex: "ok" }))).toBe('search string "ok" in /f');
  });

  it("looks a local port up among listening sockets when neither bash nor nc exists", () => {
    expect(portProbe("127.0.0.1", 6443, 5)).toContain("$2 ~ /:192B$/");
    expect(portProbe("10.0.0.1", 6443, 5)).toMatch(/exit 2$/);
  });
});
