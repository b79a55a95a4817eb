import { describe, expect, it } from "vitest";
import { frameCommand } from "../../../src/engine/connection/framing.js";
import { KplayError } from "../../../src/engine/errors.js";

describe("frameCommand", () => {
  it("gives every command its own marker within a session", () => {
    const a = frameCommand("tok", 1, "true");
    const b = frameCommand("tok", 2, "true");
    expect(a.marker).not.toBe(b.marker);
    expect(a.script).toContain(a.marker);
  });

  it("passes the command only as quoted data to eval in a subshell", () => {
    const { script } = frameCommand("tok", 1, "echo 'x'; exit 3");
    expect(script).toContain(`( eval 'echo '\\''x'\\''; exit 3' ) </dev/null`);
  });

  it("sends stdin as base64 in a heredoc whose delimiter base64 cannot produce", () => {
    const { script, marker } = frameCommand("tok", 1, "cat", { stdin: Buffer.from([0, 255, 10]) });
    expect(script).toContain(`base64 -d <<'${marker}IN' | ( eval cat )\nAP8K\n${marker}IN\n`);
  });

  it("wraps a timed command in timeout", () => {
    expect(frameCommand("tok", 1, "sleep 9", { timeoutMs: 1500 }).script).toMatch(/^timeout -k 2 1\.500 sh -c /);
  });

  it("rejects environment names a shell cannot export", () => {
    expect(() => frameCommand("tok", 1, "true", { env: { "BAD-NAME": "1" } })).toThrow(KplayError);
    expect(() => frameCommand("tok", 1, "true", { env: { "X; rm -rf /": "1" } })).toThrow(/invalid environment variable name/);
  });
});
