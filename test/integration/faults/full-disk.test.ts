// A host whose disk is full: copy, template and lineinfile over an existing file fail with the
// system's reason and the path, leave the old file byte for byte and no temp file behind, and the
// next task on that host still runs.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay, type KplayRun } from "../executor/run-kplay.js";

const DISK = "/srv/small";
const TARGET = `${DISK}/app.conf`;
const OLD_CONTENT = "old line 1\nold line 2\n";
/** Larger than what is left free on the disk once it is filled (below). */
const TOO_BIG = 40_000;

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(1, { light: true, tmpfs: { [DISK]: "size=64k" } });
  // The become case logs in as deploy with the test key.
  const u = bed.deployUser;
  const r = await bed.hosts[0]!.exec(`install -d -o ${u} -m 700 ~${u}/.ssh && install -o ${u} -m 600 /root/.ssh/authorized_keys ~${u}/.ssh/`);
  expect(r.rc, r.stderr).toBe(0);
});

afterAll(async () => {
  await bed?.stopAll();
});

/** Puts the old file back and fills the disk up to 8 KiB short of full. */
async function fillDisk(): Promise<void> {
  const host = bed.hosts[0]!;
  const r = await host.exec(
    `rm -f ${DISK}/* ${DISK}/.??* && printf %s '${OLD_CONTENT}' > ${TARGET} && ` +
      `dd if=/dev/zero of=${DISK}/filler bs=4k count=$(( $(df -k --output=avail ${DISK} | tail -1) / 4 - 2 )) 2>/dev/null && ` +
      `df -k --output=avail ${DISK} | tail -1`,
  );
  expect(r.rc, r.stderr).toBe(0);
  expect(Number(r.stdout.trim())).toBeLessThan(TOO_BIG / 1024);
}

async function diskState(): Promise<{ content: string; entries: string[] }> {
  const host = bed.hosts[0]!;
  const content = await host.exec(`cat ${TARGET}`);
  const entries = await host.exec(`ls -A ${DISK}`);
  return { content: content.stdout, entries: entries.stdout.split("\n").filter(Boolean).sort() };
}

function resultOf(r: KplayRun, title: string) {
  const found = r.events.find((e) => e.type === "host_result" && e.task.title === title);
  if (found?.type !== "host_result") throw new Error(`no result for ${title}:\n${r.out}`);
  return found.result;
}

const FILES = {
  "files/big.txt": "x".repeat(TOO_BIG),
  "templates/big.j2": `{{ inventory_hostname }}\n${"y".repeat(TOO_BIG)}\n`,
};

test.each([
  ["copy", `copy: { src: files/big.txt, dest: ${TARGET} }`],
  ["copy as root through become", `copy: { src: files/big.txt, dest: ${TARGET} }\n      become: true\n      vars: { ansible_user: deploy, ansible_become_password: "{{ pw }}" }`],
  ["template", `template: { src: templates/big.j2, dest: ${TARGET} }`],
  ["lineinfile", `lineinfile: { path: ${TARGET}, line: "${"z".repeat(TOO_BIG)}" }`],
])("full disk: %s over an existing file fails with the reason and the path, the old file stays whole", async (title, task) => {
  await fillDisk();
  const before = await diskState();
  const r = await runKplay({
    inventory: bed.inventoryIni(),
    playbook: `- hosts: all
  gather_facts: false
  vars: { pw: ${bed.deployPassword} }
  tasks:
    - name: write
      ${task}
      ignore_errors: true
    - name: next
      command: "true"
`,
    files: FILES,
  });
  const result = resultOf(r, "write");
  expect(result.failed, r.out).toBe(true);
  expect(String(result.msg)).toMatch(/No space left on device/);
  expect(String(result.msg)).toContain(TARGET);
  expect(resultOf(r, "next").failed, r.out).toBeFalsy();
  expect(r.code, r.out).toBe(0);
  expect(await diskState()).toEqual(before);
});
