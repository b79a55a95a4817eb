import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOURNAL_FORMAT } from "../../../src/engine/journal/format.js";
import { parseJournal, readJournal } from "../../../src/engine/journal/reader.js";

const header = { t: "header", format: JOURNAL_FORMAT, playbooks: ["/p/site.yml"], tasks: {}, baseDir: "/p", check: false, inventory: { hosts: ["h1"], fingerprint: "x" } };
const result = { t: "result", host: "h1", task: "0.0 site.yml:3:7", def: "d", status: "ok", changed: false };
const footer = { t: "footer", exitCode: 0, reachedEnd: true, complete: ["h1"], recap: {} };
const text = (...lines: unknown[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join("");

describe("reading a journal", () => {
  it("reads the header, the results and the footer", () => {
    const { journal, errors } = parseJournal("j.jsonl", text(header, result, result, footer));
    expect(errors).toEqual([]);
    expect(journal!.header.playbooks).toEqual(["/p/site.yml"]);
    expect(journal!.results).toHaveLength(2);
    expect(journal!.footer?.complete).toEqual(["h1"]);
  });

  it("drops a partial last line (a crash mid-write) and has no footer then", () => {
    const { journal, errors } = parseJournal("j.jsonl", `${text(header, result)}{"t":"result","host":"h`);
    expect(errors).toEqual([]);
    expect(journal!.results).toHaveLength(1);
    expect(journal!.footer).toBeUndefined();
  });

  it("refuses a line that is not JSON in the middle, naming the line", () => {
    const { journal, errors } = parseJournal("j.jsonl", `${text(header, result)}{"t":"res\n${text(result)}`);
    expect(journal).toBeUndefined();
    expect(errors[0]).toMatchObject({ message: expect.stringContaining("line 3 is not JSON"), position: { file: "j.jsonl", line: 3 } });
    expect(errors[0].hint).toContain("without --resume");
  });

  it("refuses a file without a header, of another format, or with lines after the footer", () => {
    expect(parseJournal("j", text(result)).errors[0].message).toContain("line 1 is not a journal header");
    expect(parseJournal("j", text({ ...header, format: 99 })).errors[0].message).toContain("format 99");
    expect(parseJournal("j", text(header, footer, result)).errors[0].message).toContain("line 3 follows the footer");
    expect(parseJournal("j", text(header, { t: "other" })).errors[0].message).toContain("line 2 is not a journal result line");
    expect(parseJournal("j", "").errors[0].message).toContain("no complete line");
  });

  it("says when the file cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "kplay-journal-"));
    expect(readJournal(join(dir, "none.jsonl")).errors[0].message).toMatch(/none\.jsonl cannot be read: ENOENT/);
    writeFileSync(join(dir, "ok.jsonl"), text(header));
    expect(readJournal(join(dir, "ok.jsonl")).journal?.results).toEqual([]);
  });
});
