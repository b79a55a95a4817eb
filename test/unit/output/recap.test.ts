import { expect, test } from "vitest";
import { emptyStats } from "../../../src/engine/output/events.js";
import { recapLine, recapLines } from "../../../src/engine/output/recap.js";
import { banner } from "../../../src/engine/output/banner.js";

test("recap lines are spaced exactly like Ansible's and sorted by host", () => {
  const stats = {
    web2: { ...emptyStats(), ok: 3, changed: 2, failed: 1, ignored: 1 },
    web1: { ...emptyStats(), ok: 12, skipped: 3 },
  };
  expect(recapLines(stats)).toEqual([
    "web1                       : ok=12   changed=0    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0   ",
    "web2                       : ok=3    changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=1   ",
  ]);
});

test("long host names push the colon out rather than being cut", () => {
  const name = "a-very-long-host-name.example.com";
  expect(recapLine(name, emptyStats())).toBe(`${name} : ok=0    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   `);
});

test("colors never change the alignment", () => {
  const painted = recapLine("h", { ...emptyStats(), ok: 1 }, (_k, t) => `<${t}>`);
  expect(painted).toBe("<h                         > : <ok=1   > changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ");
});

test("banners fill with stars to 80 columns, at least three", () => {
  expect(banner("PLAY [all]")).toBe(`PLAY [all] ${"*".repeat(69)}`);
  expect(banner("PLAY [all]").length).toBe(80);
  expect(banner(`TASK [${"x".repeat(90)}]`).endsWith(" ***")).toBe(true);
});
