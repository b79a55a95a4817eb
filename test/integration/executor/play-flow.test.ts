// The executor against real hosts (Debian + systemd + sshd containers): ordering, batches,
// handlers, failures, blocks, loops, delegation, tags, check mode, facts, become and output.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunEvent } from "../../../src/engine/output/index.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay, type KplayRun, type RunOptions } from "./run-kplay.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(3);
});

afterAll(async () => {
  await bed?.stopAll();
});

function play(tasks: string, header = "hosts: all\n  gather_facts: false"): string {
  return `- ${header}\n  tasks:\n${tasks.replace(/^/gm, "    ")}\n`;
}

function run(playbook: string, extra: Partial<RunOptions> = {}): Promise<KplayRun> {
  return runKplay({ ...extra, inventory: bed.inventoryIni(extra.inventory ?? ""), playbook });
}

type HostResult = Extract<RunEvent, { type: "host_result" }>;

function results(r: KplayRun, title: string): HostResult[] {
  return r.events.filter((e): e is HostResult => e.type === "host_result" && e.task.title === title);
}

function resultOf(r: KplayRun, title: string, host: string): HostResult {
  const found = results(r, title).find((e) => e.host === host);
  if (!found) throw new Error(`no result for ${title} on ${host}\n${r.out}${r.err}`);
  return found;
}

function recapOf(r: KplayRun) {
  const recap = r.events.find((e) => e.type === "recap");
  if (recap?.type !== "recap") throw new Error("no recap");
  return recap.stats;
}

describe("scheduling", () => {
  test("linear: every host finishes a task before any host starts the next", async () => {
    const r = await run(
      play(`- name: first
  shell: "sleep {{ 1 if inventory_hostname == 'node1' else 0 }}; date +%s%N"
- name: second
  command: date +%s%N`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    const firstEnds = results(r, "first").map((e) => Number(e.result.stdout));
    const secondStarts = results(r, "second").map((e) => Number(e.result.stdout));
    expect(firstEnds).toHaveLength(3);
    expect(secondStarts).toHaveLength(3);
    expect(Math.min(...secondStarts)).toBeGreaterThan(Math.max(...firstEnds));
  });

  test("free: a fast host runs ahead of a slow one", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  strategy: free
  tasks:
    - name: first
      shell: "sleep {{ 2 if inventory_hostname == 'node1' else 0 }}; date +%s%N"
    - name: second
      command: date +%s%N
`,
    );
    expect(r.code, r.out + r.err).toBe(0);
    const node1First = Number(resultOf(r, "first", "node1").result.stdout);
    const node2Second = Number(resultOf(r, "second", "node2").result.stdout);
    expect(node2Second).toBeLessThan(node1First);
  });

  test("serial batches run the whole play per batch, the last size repeating", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  serial: [1, 2]
  tasks:
    - name: one
      command: "true"
    - name: two
      command: "true"
`,
    );
    expect(r.code, r.out + r.err).toBe(0);
    const starts = r.events.flatMap((e) => (e.type === "task_start" ? [`${e.task.title}:${e.hosts.join(",")}`] : []));
    expect(starts).toEqual(["one:node1", "two:node1", "one:node2,node3", "two:node2,node3"]);
  });
});

describe("handlers", () => {
  test("run once per flush, in definition order, only on notifying hosts; loops and listen notify too", async () => {
    const r = await run(`- hosts: all
  gather_facts: false
  tasks:
    - name: notify b then a
      command: "true"
      notify: [handler b, handler a]
      when: inventory_hostname != 'node3'
    - name: notify a again from a loop
      command: "echo {{ item }}"
      loop: [1, 2, 3]
      notify: handler a
      when: inventory_hostname != 'node3'
    - name: notify the topic
      command: "true"
      notify: restart things
      when: inventory_hostname == 'node3'
  handlers:
    - name: handler a
      shell: echo ran >> /tmp/handler_a
    - name: handler b
      shell: echo ran >> /tmp/handler_b
    - name: listener
      command: "true"
      listen: restart things
`);
    expect(r.code, r.out + r.err).toBe(0);
    const handlerRuns = r.events.flatMap((e) => (e.type === "task_start" && e.task.handler ? [`${e.task.title}:${e.hosts.join(",")}`] : []));
    expect(handlerRuns).toEqual(["handler a:node1,node2", "handler b:node1,node2", "listener:node3"]);
    for (const name of ["node1", "node2"]) {
      expect((await bed.host(name).exec("cat /tmp/handler_a")).stdout).toBe("ran\n");
    }
    expect((await bed.host("node3").exec("test -e /tmp/handler_a")).rc).not.toBe(0);
    expect(r.out).toContain("RUNNING HANDLER [handler a] ****");
  });

  test("meta: flush_handlers runs pending handlers at that point", async () => {
    const r = await run(
      play(`- name: change
  command: "true"
  notify: h
- meta: flush_handlers
- name: after flush
  command: "true"`).replace("  tasks:", "  handlers:\n    - name: h\n      command: \"true\"\n  tasks:"),
    );
    expect(r.code, r.out + r.err).toBe(0);
    const order = r.events.flatMap((e) => (e.type === "task_start" ? [e.task.title] : []));
    expect(order).toEqual(["change", "h", "after flush"]);
  });
});

describe("failures", () => {
  test("a failed host leaves the play while the others finish; exit 2 and the recap say so", async () => {
    const r = await run(
      play(`- name: breaks on node2
  command: "{{ '/bin/false' if inventory_hostname == 'node2' else '/bin/true' }}"
- name: later
  command: "true"`),
    );
    expect(r.code).toBe(2);
    expect(results(r, "later").map((e) => e.host).sort()).toEqual(["node1", "node3"]);
    const stats = recapOf(r);
    expect(stats.node2).toMatchObject({ ok: 0, failed: 1 });
    expect(stats.node1).toMatchObject({ ok: 2, changed: 2, failed: 0 });
    expect(r.out).toMatch(/^fatal: \[node2\]: FAILED! => \{.*"msg": "non-zero return code", "rc": 1/m);
    expect(r.out).toMatch(/^node2 +: ok=0 +changed=0 +unreachable=0 +failed=1 /m);
  });

  test("block/rescue/always: a rescued host carries on and counts as rescued", async () => {
    const r = await run(
      play(`- block:
    - name: may fail
      command: "{{ '/bin/false' if inventory_hostname == 'node1' else '/bin/true' }}"
    - name: after the failure
      command: "true"
  rescue:
    - name: rescue it
      debug:
        msg: "rescued {{ ansible_failed_task.name }}"
  always:
    - name: always runs
      command: "true"
- name: next
  command: "true"`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(results(r, "after the failure").map((e) => e.host).sort()).toEqual(["node2", "node3"]);
    expect(results(r, "rescue it").map((e) => e.host)).toEqual(["node1"]);
    expect(resultOf(r, "rescue it", "node1").result.msg).toBe("rescued may fail");
    expect(results(r, "always runs")).toHaveLength(3);
    expect(results(r, "next")).toHaveLength(3);
    expect(recapOf(r).node1).toMatchObject({ rescued: 1, failed: 0 });
  });

  test("a failure in a block without rescue still runs always, then the host is out", async () => {
    const r = await run(
      play(`- block:
    - name: fails
      command: /bin/false
      when: inventory_hostname == 'node3'
  always:
    - name: cleanup
      command: "true"
- name: next
  command: "true"`),
    );
    expect(r.code).toBe(2);
    expect(results(r, "cleanup")).toHaveLength(3);
    expect(results(r, "next").map((e) => e.host).sort()).toEqual(["node1", "node2"]);
  });

  test("changed_when and failed_when decide from the registered result; ignore_errors keeps going", async () => {
    const r = await run(
      play(`- name: quiet
  command: echo hello
  register: out
  changed_when: false
- name: judged
  command: echo hello
  register: out2
  failed_when: "'hello' in out2.stdout"
  ignore_errors: true
- name: still here
  debug:
    msg: "{{ out.stdout }} {{ out2.failed }}"`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "quiet", "node1").status).toBe("ok");
    expect(resultOf(r, "judged", "node1")).toMatchObject({ status: "failed", ignored: true });
    expect(resultOf(r, "still here", "node1").result.msg).toBe("hello True");
    expect(r.out).toContain("...ignoring");
    expect(recapOf(r).node1).toMatchObject({ ok: 3, changed: 1, ignored: 1, failed: 0 });
  });
});

describe("tasks", () => {
  test("when per loop item, register with results, loop_control, until/retries", async () => {
    const r = await run(
      play(`- name: looped
  command: "echo {{ thing }}-{{ idx }}"
  loop: [a, b, c]
  loop_control: { loop_var: thing, index_var: idx, label: "{{ thing | upper }}" }
  when: thing != 'b'
  register: looped
- name: counts
  debug:
    msg: "{{ looped.results | map(attribute='stdout') | select('defined') | list }}"
- name: retried
  shell: echo x >> /tmp/until_count; wc -l < /tmp/until_count
  register: attempt
  until: attempt.stdout | int >= 3
  retries: 5
  delay: 0`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "counts", "node2").result.msg).toEqual(["a-0", "c-2"]);
    expect(resultOf(r, "retried", "node1").result.attempts).toBe(3);
    expect(r.out).toContain("changed: [node1] => (item=A)");
    expect(r.out).toContain("skipping: [node1] => (item=B) ");
    expect(r.out).toMatch(/FAILED - RETRYING: \[node1\]: retried \(5 retries left\)\./);
  });

  test("delegate_to with run_once: one run, on the delegate, result shared with every host", async () => {
    const r = await run(
      play(`- name: on node3
  command: hostname
  delegate_to: node3
  run_once: true
  register: where
- name: shared
  debug:
    msg: "{{ where.stdout }}"
- name: controller
  command: hostname
  delegate_to: localhost
  run_once: true
  register: here`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(results(r, "on node3")).toHaveLength(1);
    expect(r.out).toContain("changed: [node1 -> node3]");
    for (const h of ["node1", "node2", "node3"]) expect(resultOf(r, "shared", h).result.msg).toBe("node3");
    const { hostname } = await import("node:os");
    expect(resultOf(r, "controller", "node1").result.stdout).toBe(hostname());
  });

  test("tags: -t selects tagged tasks plus always; never runs only when asked; --skip-tags", async () => {
    const tasks = play(`- name: tagged a
  command: "true"
  tags: [a]
- name: tagged b
  command: "true"
  tags: [b]
- name: always
  command: "true"
  tags: [always]
- name: never unless asked
  command: "true"
  tags: [never, debugging]`);
    const titles = (r: KplayRun) => [...new Set(r.events.flatMap((e) => (e.type === "task_start" ? [e.task.title] : [])))];
    expect(titles(await run(tasks, { request: { tags: ["a"] } }))).toEqual(["tagged a", "always"]);
    expect(titles(await run(tasks, { request: { skipTags: ["a"] } }))).toEqual(["tagged b", "always"]);
    expect(titles(await run(tasks, { request: { tags: ["debugging"] } }))).toEqual(["always", "never unless asked"]);
  });

  test("check mode: command is skipped unless check_mode: false", async () => {
    const r = await run(
      play(`- name: would create
  command: touch /tmp/check_would
- name: really creates
  command: touch /tmp/check_really
  check_mode: false
- name: knows the mode
  debug:
    msg: "{{ ansible_check_mode }}"`),
      { request: { check: true } },
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "would create", "node1").status).toBe("skipped");
    expect(resultOf(r, "knows the mode", "node1").result.msg).toBe(true);
    expect((await bed.host("node1").exec("test -e /tmp/check_would")).rc).not.toBe(0);
    expect((await bed.host("node1").exec("test -e /tmp/check_really")).rc).toBe(0);
  });

  test("set_fact and include_vars outrank play vars; extra vars outrank everything", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  vars:
    a: play
    b: play
    c: play
  tasks:
    - set_fact:
        a: fact
    - include_vars: more.yml
    - name: accumulate
      set_fact:
        acc: "{{ (acc | default([])) + [item] }}"
      loop: [1, 2, 3]
    - name: show
      debug:
        msg: "{{ a }} {{ b }} {{ c }} {{ group_names }} {{ play_hosts | length }} {{ acc }}"
`,
      { files: { "more.yml": "b: included\nc: included\n" }, request: { extraVars: { c: "extra" } } },
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "show", "node1").result.msg).toBe("fact included extra ['ungrouped'] 3 [1, 2, 3]");
  });
});

describe("includes and roles", () => {
  test("roles run with their defaults, vars and handlers; include_tasks loops and picks files per host", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  roles:
    - role: web
      web_port: 8080
  tasks:
    - name: per-host include
      include_tasks: "{{ 'odd' if inventory_hostname in ['node1', 'node3'] else 'even' }}.yml"
      loop: [x, z]
`,
      {
        files: {
          "roles/web/defaults/main.yml": "web_port: 80\nweb_name: default\n",
          "roles/web/vars/main.yml": "web_name: from-vars\n",
          "roles/web/tasks/main.yml": "- name: configure\n  command: echo {{ web_name }}:{{ web_port }}\n  notify: restart web\n",
          "roles/web/handlers/main.yml": "- name: restart web\n  command: \"true\"\n",
          "odd.yml": "- name: odd task\n  debug:\n    msg: \"odd {{ item }}\"\n",
          "even.yml": "- name: even task\n  debug:\n    msg: \"even {{ item }}\"\n",
        },
      },
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "web : configure", "node1").result.stdout).toBe("from-vars:8080");
    expect(r.out).toContain("TASK [web : configure] ***");
    expect(r.out).toContain("RUNNING HANDLER [web : restart web] ***");
    expect(results(r, "odd task").map((e) => `${e.host}:${e.result.msg}`).sort()).toEqual(["node1:odd x", "node1:odd z", "node3:odd x", "node3:odd z"]);
    expect(results(r, "even task").map((e) => `${e.host}:${e.result.msg}`).sort()).toEqual(["node2:even x", "node2:even z"]);
    expect(r.out).toMatch(/^included: \/.*\/odd\.yml for node1, node3 => \(item=x\)$/m);
    expect(r.out).toMatch(/^included: \/.*\/even\.yml for node2 => \(item=z\)$/m);
    expect(recapOf(r).node2).toMatchObject({ ok: 6, changed: 2 });
  });
  test("include_role brings the role's tasks, defaults and handlers at run time; vars_files load", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  vars_files:
    - "vars/{{ env_name }}.yml"
  tasks:
    - name: dynamic role
      include_role:
        name: "{{ role_to_use }}"
      vars:
        greeting: "hi from {{ inventory_hostname }}"
      when: inventory_hostname != 'node2'
`,
      {
        request: { extraVars: { env_name: "prod", role_to_use: "greeter" } },
        files: {
          "vars/prod.yml": "tier: production\n",
          "roles/greeter/defaults/main.yml": "punctuation: '!'\n",
          "roles/greeter/tasks/main.yml": "- name: greet\n  command: echo {{ greeting }}{{ punctuation }} {{ tier }}\n  notify: greeted\n",
          "roles/greeter/handlers/main.yml": "- name: greeted\n  command: \"true\"\n",
        },
      },
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "greeter : greet", "node3").result.stdout).toBe("hi from node3! production");
    expect(results(r, "greeter : greet").map((e) => e.host).sort()).toEqual(["node1", "node3"]);
    expect(results(r, "greeter : greeted").map((e) => e.host).sort()).toEqual(["node1", "node3"]);
  });
});

describe("play and task keywords", () => {
  test("environment reaches the command; timeout ends a slow task", async () => {
    const r = await run(
      play(`- name: env
  shell: echo "$GREETING"
  environment:
    GREETING: "hello {{ inventory_hostname }}"
- name: slow
  command: sleep 10
  timeout: 1
  ignore_errors: true`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "env", "node2").result.stdout).toBe("hello node2");
    expect(resultOf(r, "slow", "node1").result.msg).toMatch(/expected time frame \(1\)/);
  });

  test("throttle limits how many hosts run a task at once", async () => {
    const r = await run(
      play(`- name: one at a time
  shell: "date +%s%N; sleep 0.4; date +%s%N"
  throttle: 1`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    const spans = results(r, "one at a time")
      .map((e) => (e.result.stdout as string).split("\n").map(Number))
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  });

  test("any_errors_fatal ends the play for every host", async () => {
    const r = await run(
      `- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: breaks on node1
      command: /bin/false
      when: inventory_hostname == 'node1'
    - name: never reached
      command: "true"
`,
    );
    expect(r.code).toBe(2);
    expect(results(r, "never reached")).toEqual([]);
    expect(r.out).toContain("NO MORE HOSTS LEFT ****");
    // The other hosts leave the play without being counted as failed (Ansible's recap).
    expect(recapOf(r).node2).toMatchObject({ failed: 0, skipped: 1 });
  });

  test("max_fail_percentage: failures must exceed it to stop the play", async () => {
    const pb = (pct: number) => `- hosts: all
  gather_facts: false
  max_fail_percentage: ${pct}
  tasks:
    - name: breaks on node1
      command: /bin/false
      when: inventory_hostname == 'node1'
    - name: next
      command: "true"
`;
    const tolerated = await run(pb(34));
    expect(results(tolerated, "next").map((e) => e.host).sort()).toEqual(["node2", "node3"]);
    const exceeded = await run(pb(33));
    expect(results(exceeded, "next")).toEqual([]);
  });

  test("--start-at-task skips the tasks before it; meta end_host and end_play stop early", async () => {
    const started = await run(
      play(`- name: skipped one
  command: "true"
- name: begin here
  command: "true"
- name: end node2
  meta: end_host
  when: inventory_hostname == 'node2'
- name: after end_host
  command: "true"
- meta: end_play
- name: after end_play
  command: "true"`),
      { request: { startAtTask: "begin here" } },
    );
    expect(started.code, started.out + started.err).toBe(0);
    expect(results(started, "skipped one")).toEqual([]);
    expect(results(started, "begin here")).toHaveLength(3);
    expect(results(started, "after end_host").map((e) => e.host).sort()).toEqual(["node1", "node3"]);
    expect(results(started, "after end_play")).toEqual([]);
  });

  test("no_log hides values in the output but a failure still says why", async () => {
    const r = await run(
      play(`- name: secret
  shell: "echo hunter2; exit 3"
  no_log: true`),
    );
    expect(r.code).toBe(2);
    expect(r.out).not.toContain("hunter2");
    expect(r.out).toContain(`fatal: [node1]: FAILED! => {"censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result", "changed": true, "msg": "non-zero return code", "rc": 3}`);
  });
});

describe("core modules", () => {
  test("command and shell: argv, chdir, stdin, creates/removes, executable", async () => {
    const r = await run(
      play(`- name: argv kept literal
  command: printf '%s|' "a b" '$HOME' ">x"
- name: argv list
  command:
    argv: [printf, "%s|", "one two"]
- name: chdir and stdin
  command: cat -
  args:
    chdir: /tmp
    stdin: from stdin
- name: creates guard
  command: touch /tmp/created_once
  args:
    creates: /tmp/created_once
- name: removes guard
  command: rm /tmp/no_such_file
  args:
    removes: /tmp/no_such_file
- name: shell pipes and executable
  shell: echo "$0" | tr a-z A-Z
  args:
    executable: /bin/bash`),
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(resultOf(r, "argv kept literal", "node1").result.stdout).toBe("a b|$HOME|>x|");
    expect(resultOf(r, "argv list", "node1").result.stdout).toBe("one two|");
    expect(resultOf(r, "chdir and stdin", "node1").result.stdout).toBe("from stdin");
    expect(resultOf(r, "creates guard", "node1").status).toBe("changed");
    expect(resultOf(r, "removes guard", "node1")).toMatchObject({ status: "ok", result: { msg: "Did not run command since '/tmp/no_such_file' does not exist" } });
    expect(resultOf(r, "shell pipes and executable", "node1").result.stdout).toBe("/BIN/BASH");
    const again = await run(play(`- name: creates guard
  command: touch /tmp/created_once
  args:
    creates: /tmp/created_once`));
    expect(resultOf(again, "creates guard", "node1")).toMatchObject({ status: "ok", result: { stdout: "skipped, since /tmp/created_once exists" } });
  });

  test("assert, fail, pause and include_vars from a directory", async () => {
    const r = await run(
      play(`- include_vars:
    dir: vars
    name: loaded
- name: checks
  assert:
    that:
      - loaded.a == 1
      - loaded.b == 'two'
    success_msg: fine
- name: pause
  pause:
    seconds: 1
- name: wrong
  assert:
    that: loaded.a == 2
    fail_msg: "a is {{ loaded.a }}"
  ignore_errors: true
- name: stop node3
  fail:
    msg: stopped on purpose
  when: inventory_hostname == 'node3'`),
      { files: { "vars/1.yml": "a: 1\n", "vars/2.yml": "b: two\n" } },
    );
    expect(r.code).toBe(2);
    expect(resultOf(r, "checks", "node1").result.msg).toBe("fine");
    expect(resultOf(r, "pause", "node1").result.stdout).toBe("Paused for 1 seconds");
    expect(resultOf(r, "wrong", "node1").result).toMatchObject({ msg: "a is 1", assertion: "loaded.a == 2" });
    expect(r.out).toContain('fatal: [node3]: FAILED! => {"changed": false, "msg": "stopped on purpose"}');
  });
});

describe("hosts", () => {
  test("facts are gathered in one pass and match the host", async () => {
    const r = await run(
      `- hosts: all
  tasks:
    - name: facts
      debug:
        msg:
          hostname: "{{ ansible_hostname }}"
          address: "{{ ansible_default_ipv4.address }}"
          all: "{{ ansible_all_ipv4_addresses }}"
          mem: "{{ ansible_memtotal_mb }}"
          vcpus: "{{ ansible_facts.processor_vcpus }}"
          distribution: "{{ ansible_distribution }} {{ ansible_distribution_major_version }} {{ ansible_os_family }}"
          machine_id: "{{ ansible_machine_id }}"
          service_mgr: "{{ ansible_service_mgr }}"
          pkg_mgr: "{{ ansible_pkg_mgr }}"
          kernel: "{{ ansible_kernel }}"
          arch: "{{ ansible_architecture }}"
`,
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain("TASK [Gathering Facts] ****");
    const node = bed.host("node2");
    const facts = resultOf(r, "facts", "node2").result.msg as Record<string, unknown>;
    const read = async (cmd: string) => (await node.exec(cmd)).stdout.trim();
    expect(facts.hostname).toBe(await read("hostname"));
    expect(facts.address).toBe(await read("ip -4 -o addr show dev $(ip -4 route show default | awk '{print $5}') | awk '{print $4}' | cut -d/ -f1"));
    expect(facts.all).toContain(node.containerIp);
    expect(facts.mem).toBe(Math.floor(Number(await read("awk '/MemTotal/ {print $2}' /proc/meminfo")) / 1024));
    expect(facts.vcpus).toBe(Number(await read("grep -c ^processor /proc/cpuinfo")));
    expect(facts.distribution).toBe(`Debian ${(await read("cut -d. -f1 /etc/debian_version"))} Debian`);
    expect(facts.machine_id).toBe(await read("cat /etc/machine-id"));
    expect(facts.service_mgr).toBe("systemd");
    expect(facts.pkg_mgr).toBe("apt");
    expect(facts.kernel).toBe(await read("uname -r"));
    expect(facts.arch).toBe(await read("uname -m"));
  });

  test("become through a sudoer whose sudo asks for a password (-K)", async () => {
    // The usual setup: log in with a key as an unprivileged sudoer, sudo asks for its password.
    for (const h of bed.hosts) {
      await h.exec(`install -d -o ${bed.deployUser} -m 700 ~${bed.deployUser}/.ssh && install -o ${bed.deployUser} -m 600 /root/.ssh/authorized_keys ~${bed.deployUser}/.ssh/`);
    }
    const pb = `- hosts: all
  gather_facts: false
  vars:
    ansible_user: ${bed.deployUser}
  tasks:
    - name: who
      command: id -un
      become: true
`;
    const ok = await run(pb, { request: { become: { enabled: false, password: bed.deployPassword } } });
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(resultOf(ok, "who", "node1").result.stdout).toBe("root");
    const wrong = await run(pb, { request: { become: { enabled: false, password: "not-the-password" } } });
    expect(wrong.code).not.toBe(0);
  });
});

describe("output", () => {
  test("human output has Ansible's exact lines", async () => {
    const r = await run(
      `- hosts: node1,node2
  gather_facts: false
  tasks:
    - name: say
      debug:
        msg: hello
    - name: skipped on node2
      command: "true"
      when: inventory_hostname == 'node1'
`,
    );
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toBe(
      [
        "",
        "PLAY [node1,node2] *************************************************************",
        "",
        "TASK [say] *********************************************************************",
        "ok: [node1] => {",
        '    "msg": "hello"',
        "}",
        "ok: [node2] => {",
        '    "msg": "hello"',
        "}",
        "",
        "TASK [skipped on node2] ********************************************************",
        ...results(r, "skipped on node2").map((e) => (e.host === "node1" ? "changed: [node1]" : "skipping: [node2]")),
        "",
        "PLAY RECAP *********************************************************************",
        "node1                      : ok=2    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ",
        "node2                      : ok=1    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   ",
        "",
        "",
      ].join("\n"),
    );
  });

  test("--json writes one well-formed event per line", async () => {
    const r = await runKplay({
      inventory: bed.inventoryIni(),
      playbook: play(`- name: hi
  command: echo s3cr3t
  no_log: true`),
      json: true,
    });
    expect(r.code, r.out + r.err).toBe(0);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(["play_start", "task_start", "host_result", "recap"]));
    const result = lines.find((l) => l.event === "host_result")!;
    expect(result).toMatchObject({ host: expect.any(String), status: "changed" });
    expect(r.out).not.toContain("s3cr3t");
    expect((result.result as Record<string, unknown>).censored).toMatch(/no_log: true/);
  });
});
