import { test } from "vitest";
import { runKplay } from "./run-kplay.js";
test("scratch", async () => {
  const r = await runKplay({
    inventory: "[web]\nh1 ansible_connection=local\nh2 ansible_connection=local\n",
    playbook: `
- hosts: web
  gather_facts: false
  tasks:
    - name: undefined in when
      debug: msg=x
      when: nope == 1
      ignore_errors: true
    - name: templated bad arg
      file:
        path: /tmp/x
        state: "{{ 'nonsense' }}"
      ignore_errors: true
    - name: unknown handler
      command: "true"
      notify: "{{ 'nobody' }}" 
    - name: undefined in args
      debug:
        msg: "{{ missing_var }}"
`,
  });
  console.log(r.out, r.err, r.code);
});
