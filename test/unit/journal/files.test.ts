import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { redactArgv } from "../../../src/engine/journal/header.js";
import { journalLocation, journalToResume, pruneJournals, retryFilePath, runName } from "../../../src/engine/journal/location.js";
import { updateRetryFile } from "../../../src/engine/journal/retry-file.js";
import { JournalWriter } from "../../../src/engine/journal/writer.js";
import type { ResultLine } from "../../../src/engine/journal/format.js";

const tmp = () => mkdtempSync(join(tmpdir(), "kplay-jfiles-"));

describe("journal locations", () => {
  it("names journals after the playbooks, in .kplay/journal/ unless --journal says where", () => {
    expect(runName(["/a/site.yml", "b/scale.yaml"])).toBe("site+scale");
    const at = new Date("2026-11-22T05:40:01.002Z");
    const def = journalLocation(undefined, ["/a/site.yml"], "/work", at);
    expect(def).toEqual({ path: `/work/.kplay/journal/site-20261122T054001002Z-${process.pid}.jsonl`, dir: "/work/.kplay/journal", name: "site" });
    expect(journalLocation("j/run.jsonl", ["/a/site.yml"], "/work", at)).toEqual({ path: "/work/j/run.jsonl", dir: "/work/j", name: "site" });
    expect(retryFilePath(def)).toBe("/work/.kplay/journal/site.retry");
  });

  it("--resume takes the newest journal of the same playbooks; old ones are pruned to 20", () => {
    const cwd = tmp();
    const dir = join(cwd, ".kplay/journal");
    mkdirSync(dir, { recursive: true });
    expect(journalToResume(undefined, ["/a/site.yml"], cwd)).toBeUndefined();
    for (let i = 10; i < 35; i++) writeFileSync(join(dir, `site-202611220540${i}000Z-1.jsonl`), "");
    writeFileSync(join(dir, "site-extra-20261122T999999999Z-1.jsonl"), "");
    writeFileSync(join(dir, "site-20261122T999999999Z-1.jsonl.1.tmp"), "");
    for (let i = 10; i < 35; i++) writeFileSync(join(dir, `site-20261122T0540${i}000Z-1.jsonl`), "");
    expect(journalToResume(undefined, ["/a/site.yml"], cwd)).toBe(join(dir, "site-20261122T054034000Z-1.jsonl"));
    expect(journalToResume("x.jsonl", ["/a/site.yml"], cwd)).toBe(join(cwd, "x.jsonl"));
    pruneJournals(dir, "site");
    const left = readdirSync(dir).filter((f) => /^site-2026\d+T/.test(f) && f.endsWith(".jsonl"));
    expect(left).toHaveLength(20);
    expect(left.sort()[0]).toBe("site-20261122T054015000Z-1.jsonl");
    expect(existsSync(join(dir, "site-extra-20261122T999999999Z-1.jsonl"))).toBe(true);
  });
});

describe("retry files", () => {
  it("lists lost hosts one per line; a successful run removes the file, a run without losses but not ok keeps it", () => {
    const path = join(tmp(), "sub/site.retry");
    expect(updateRetryFile(path, ["node2", "node3"], false)).toBe(path);
    expect(readFileSync(path, "utf8")).toBe("node2\nnode3\n");
    expect(updateRetryFile(path, [], false)).toBeUndefined();
    expect(existsSync(path)).toBe(true);
    updateRetryFile(path, [], true);
    expect(existsSync(path)).toBe(false);
  });
});

describe("the journal writer", () => {
  it("creates the file with its first lines, appends, and ends with the last line", async () => {
    const path = join(tmp(), "deep/dir/j.jsonl");
    const line = (host: string): ResultLine => ({ t: "result", host, task: "t", def: "d", status: "ok", changed: false });
    const writer = new JournalWriter(path, [line("first")]);
    expect(readFileSync(path, "utf8")).toBe(`${JSON.stringify(line("first"))}\n`);
    writer.append(line("h1"));
    await writer.close(line("last"));
    expect(readFileSync(path, "utf8").split("\n")).toEqual([line("first"), line("h1"), line("last")].map((l) => JSON.stringify(l)).concat(""));
  });
});

describe("the command line in the header", () => {
  it("hides extra vars and password-like option values", () => {
    expect(redactArgv(["-i", "inv", "-e", "pw=x", "--extra-vars=@s.yml", "-epw=1", "--vault-password-file", "f", "--become-password", "p", "--token=t", "site.yml"])).toEqual([
      "-i", "inv", "-e", "<hidden>", "--extra-vars=<hidden>", "-e<hidden>", "--vault-password-file", "f", "--become-password", "<hidden>", "--token=<hidden>", "site.yml",
    ]);
  });
});
