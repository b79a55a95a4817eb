import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { runKplay } from "../../integration/executor/run-kplay.js";
test("smoke", async () => {
  const pb = (fixed: boolean) => `
- hosts: all
  gather_facts: false
  tasks:
    - command: echo one
      register: one
      changed_when: true
      notify: h
    - fail: msg=boom
      when: inventory_hostname == 'b' and not ${fixed}
    - debug: msg="{{ one.stdout }}"
  handlers:
    - name: h
      debug: msg=handler
`;
  const inv = "a ansible_connection=local\nb ansible_connection=local\n";
  const r1 = await runKplay({ inventory: inv, playbook: pb(false) });
  console.log(r1.code, r1.out);
  console.log(readFileSync(join(r1.dir, ".kplay/journal.jsonl"), "utf8"));
  const r2 = await runKplay({ inventory: inv, playbook: pb(true), dir: r1.dir, request: { resume: true } });
  console.log(r2.code, r2.out, r2.err);
  console.log(readFileSync(join(r1.dir, ".kplay/journal.jsonl"), "utf8"));
});
