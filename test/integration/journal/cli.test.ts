// The command line's side of journals, on the control machine itself (local connection): the
// default directory, --resume finding the newest journal there, --no-journal, the retry file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../unit/cli/run-cli.js";

let dir: string;
const startedIn = process.cwd();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kplay-journal-cli-"));
  writeFileSync(join(dir, "hosts.ini"), "localhost ansible_connection=local\n");
  writeFileSync(
    join(dir, "site.yml"),
    `- hosts: all
  gather_facts: false
  tasks:
    - name: count
      shell: echo ran >> ${join(dir, "count.log")}
    - name: break
      fail:
        msg: broken
      when: not (fixed | default(false))
`,
  );
  // The default journal directory is the current directory's .kplay/journal/.
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(startedIn);
});

const journalDir = () => join(dir, ".kplay", "journal");
const journals = () => readdirSync(journalDir()).filter((f) => f.endsWith(".jsonl")).sort();
const runs = () => readFileSync(join(dir, "count.log"), "utf8").split("\n").filter(Boolean).length;

describe("journals from the command line", () => {
  it("--resume without a journal to resume is refused", async () => {
    const r = await runCli(["-i", "hosts.ini", "--resume", "site.yml"], "", "real");
    expect(r.code, r.stdout + r.stderr).toBe(5);
    expect(r.stderr).toContain(`ERROR: there is no journal of site in ${join(".kplay", "journal")} to resume`);
    expect(existsSync(join(dir, "count.log"))).toBe(false);
  });

  it("a failed run writes its journal and retry file in .kplay/journal/; --resume takes the newest journal", async () => {
    const failed = await runCli(["-i", "hosts.ini", "site.yml"], "", "real");
    expect(failed.code, failed.stdout + failed.stderr).toBe(2);
    expect(journals()).toEqual([expect.stringMatching(/^site-\d{8}T\d{9}Z-\d+\.jsonl$/)]);
    const retry = join(journalDir(), "site.retry");
    expect(readFileSync(retry, "utf8")).toBe("localhost\n");
    expect(failed.stdout).toContain(`to retry, use: --limit @${retry}`);

    const resumed = await runCli(["-i", "hosts.ini", "--resume", "-e", "fixed=true", "site.yml"], "", "real");
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming the run recorded in ${join(journalDir(), journals()[0])}`);
    expect(runs()).toBe(1);
    expect(existsSync(retry)).toBe(false);
    expect(journals()).toHaveLength(2);
    // The new journal says which one it resumed.
    const header = JSON.parse(readFileSync(join(journalDir(), journals()[1]), "utf8").split("\n")[0]);
    expect(header).toMatchObject({ t: "header", playbooks: [join(dir, "site.yml")], resumed: { from: join(journalDir(), journals()[0]) } });
  });

  it("--no-journal writes none, and cannot be resumed from", async () => {
    const before = journals();
    const r = await runCli(["-i", "hosts.ini", "--no-journal", "-e", "fixed=true", "site.yml"], "", "real");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(journals()).toEqual(before);
    const refused = await runCli(["-i", "hosts.ini", "--no-journal", "--resume", "site.yml"], "", "real");
    expect([refused.code, refused.stderr]).toEqual([5, "ERROR: --resume reads the journal that --no-journal turns off\n  hint: drop --no-journal\n"]);
  });

  it("--journal PATH is written there, and resumed from there", async () => {
    const path = join(dir, "runs", "upgrade.jsonl");
    const failed = await runCli(["-i", "hosts.ini", "--journal", path, "site.yml"], "", "real");
    expect(failed.code).toBe(2);
    expect(readFileSync(join(dir, "runs", "site.retry"), "utf8")).toBe("localhost\n");
    const count = runs();
    const resumed = await runCli(["-i", "hosts.ini", "--journal", path, "--resume", "-e", "fixed=true", "site.yml"], "", "real");
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(runs()).toBe(count);
    // The journal was replaced by the resumed run's, which carries what was done before.
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.carried).map((l) => l.status)).toEqual(["changed"]);
    expect(lines.at(-1)).toMatchObject({ t: "footer", exitCode: 0, complete: ["localhost"] });
  });
});
