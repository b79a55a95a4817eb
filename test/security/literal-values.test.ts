// Inventory values with spaces, quotes, $(...), backticks and `;` reach the target literally:
// as file names (file path, copy dest, command argv) and as template content. Nothing they
// contain is ever run by a shell.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellQuote } from "../../src/engine/shell-quote.js";
import { startHosts, type TestHosts } from "../support/hosts.js";
import { runKplay } from "../integration/executor/run-kplay.js";

const DIR = "/tmp/kplay-literal";
// No slash: it is used as a file name. Each `touch pwned` would land in the shell's directory.
const EVIL_NAME = `a b 'q" $(touch pwned) \`touch pwned\` ; touch pwned`;
const EVIL_HOSTNAME = `node$(touch /tmp/pwned)\`touch /tmp/pwned\`;touch /tmp/pwned 'x" y`;

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: directory
      file: { path: "${DIR}", state: directory }
    - name: file path
      file: { path: "${DIR}/{{ evil_name }}", state: touch }
    - name: copy dest
      copy: { content: "{{ evil_hostname }}", dest: "${DIR}/{{ evil_name }}.copy" }
    - name: command argv
      command:
        argv: [touch, "${DIR}/{{ evil_name }}.argv"]
        chdir: "${DIR}"
    - name: template content
      template: { src: host.conf.j2, dest: "${DIR}/host.conf" }
`;

describe("hostile inventory values reach the target literally", () => {
  let bed: TestHosts;
  beforeAll(async () => {
    bed = await startHosts(1);
  });
  afterAll(async () => {
    await bed?.stopAll();
  });

  it("creates the literal names and runs nothing they contain", async () => {
    const host = bed.hosts[0]!;
    const run = await runKplay({
      inventory: bed.inventoryIni(),
      playbook: PLAYBOOK,
      files: {
        [`host_vars/${host.name}.yml`]: JSON.stringify({ evil_name: EVIL_NAME, evil_hostname: EVIL_HOSTNAME }),
        "templates/host.conf.j2": "hostname={{ evil_hostname }}\n",
      },
    });
    expect(run.code, run.out + run.err).toBe(0);

    for (const suffix of ["", ".copy", ".argv"]) {
      const check = await host.exec(`test -f ${shellQuote(`${DIR}/${EVIL_NAME}${suffix}`)}`);
      expect(check.rc, `missing ${EVIL_NAME}${suffix}`).toBe(0);
    }
    expect((await host.exec(`cat ${shellQuote(`${DIR}/${EVIL_NAME}.copy`)}`)).stdout).toBe(EVIL_HOSTNAME);
    expect((await host.exec(`cat ${DIR}/host.conf`)).stdout).toBe(`hostname=${EVIL_HOSTNAME}\n`);
    // Nothing was run: no `pwned` anywhere a shell could have made one.
    const pwned = await host.exec("ls -d /tmp/pwned /root/pwned /home/*/pwned /pwned " + shellQuote(`${DIR}/pwned`) + " 2>/dev/null");
    expect(pwned.stdout).toBe("");
  });
});
