import { test } from "vitest";
import { runKplay } from "./run-kplay.js";
test("smoke", async () => {
  const r = await runKplay({
    inventory: "[web]\nh1 ansible_connection=local\nh2 ansible_connection=local\n",
    playbook: `
- hosts: web
  gather_facts: false
  tasks:
    - name: looped
      command: echo {{ item }}
      loop: [a, b]
      when: item != 'b' or inventory_hostname == 'h1'
    - debug: msg=hi
    - name: fail one
      command: /bin/false
      when: inventory_hostname == 'h2'
      ignore_errors: true
    - name: loop fail
      command: "{{ item }}"
      loop: ["/bin/true", "/bin/false"]
      when: inventory_hostname == 'h2'
    - name: notify
      command: echo
      notify: hh
    - name: skipall
      debug: msg=x
      loop: [1]
      when: false
  handlers:
    - name: hh
      debug: msg=handler
`,
  });
  console.log(r.out, r.err, r.code);
});
