// A kplay process killed with SIGKILL mid-run (nothing flushed on purpose, no footer) can be
// resumed: what its journal recorded is not run again.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { runCli } from "../../unit/cli/run-cli.js";

const MAIN = join(import.meta.dirname, "../../../src/cli/main.ts");

it("a run killed with SIGKILL is resumed from its journal", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kplay-crash-"));
  const log = join(dir, "ran.log");
  const journal = join(dir, "crash.jsonl");
  writeFileSync(join(dir, "hosts.ini"), "localhost ansible_connection=local\n");
  writeFileSync(
    join(dir, "site.yml"),
    `- hosts: all
  gather_facts: false
  tasks:
    - shell: echo first >> ${log}
    - shell: echo second >> ${log}
    - name: slow
      shell: echo slow-started >> ${log}; sleep {{ 0 if fast | default(false) else 30 }}; echo slow >> ${log}
    - shell: echo last >> ${log}
`,
  );
  const args = ["kplay", "-i", join(dir, "hosts.ini"), "--journal", journal, join(dir, "site.yml")];
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(process.argv);`, ...args], {
    stdio: "ignore",
    // Its own process group, so the kill takes the commands it started too, as a crash would.
    detached: true,
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  // Killed once "slow" is running: the two tasks before it are done.
  for (let i = 0; i < 600 && !(existsSync(log) && readFileSync(log, "utf8").includes("slow-started")); i++) await sleep(100);
  // The journal's buffered lines go out within an event-loop turn.
  await sleep(300);
  process.kill(-child.pid!, "SIGKILL");
  await exited;
  expect(readFileSync(log, "utf8")).toBe("first\nsecond\nslow-started\n");
  expect(readFileSync(journal, "utf8")).not.toContain('"t":"footer"');

  const resumed = await runCli(["-i", join(dir, "hosts.ini"), "--journal", journal, "--resume", "-e", "fast=true", join(dir, "site.yml")], "", "real");
  expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.stdout.match(/\(done in the resumed run\)/g)).toHaveLength(2);
  expect(readFileSync(log, "utf8")).toBe("first\nsecond\nslow-started\nslow-started\nslow\nlast\n");
});
