import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatError, type ErrorContext } from "../../../src/engine/errors.js";
import { loadPlaybook } from "../../../src/engine/playbook/loader.js";
import { testModules } from "./test-modules.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the files into a fresh directory and loads `play.yml` from it. */
function loadFiles(files: Record<string, string>, rolesPath: string[] = []): { errors: ErrorContext[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "kplay-pb-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const result = loadPlaybook(join(dir, "play.yml"), { modules: testModules, rolesPath, cwd: dir });
  expect(result.playbook === undefined).toBe(result.errors.length > 0);
  return { errors: result.errors, dir };
}

function loadText(text: string) {
  return loadFiles({ "play.yml": text });
}

/** Errors as the CLI prints them, with the temporary directory replaced by DIR. */
function printed(errors: ErrorContext[], dir: string): string[] {
  return errors.map((e) => formatError(e).replaceAll(dir, "DIR"));
}

describe("playbook errors name file:line:column, what is wrong and how to fix it", () => {
  it("suggests the keyword closest to a misspelled one", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - name: x\n      command: ls\n      notfy: restart\n");
    expect(printed(errors, dir)).toEqual(["ERROR: DIR/play.yml:5:7: unknown keyword `notfy`\n  hint: did you mean `notify`?"]);
  });

  it("suggests the module closest to an unknown one", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - comand: ls\n");
    expect(printed(errors, dir)).toEqual(["ERROR: DIR/play.yml:3:7: unknown module `comand`\n  hint: did you mean `command`?"]);
  });

  it("reports a misspelled play keyword with a suggestion", () => {
    const { errors, dir } = loadText("- hosts: all\n  gather_fact: no\n  tasks: []\n");
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:2:3: unknown keyword `gather_fact` in a play\n  hint: did you mean `gather_facts`?",
    ]);
  });

  it("reports a task with two modules, and one with none", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - command: ls\n      shell: ls\n    - name: nothing\n");
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:3:7: task calls more than one module: `command` and `shell`\n  hint: split it into one task per module",
      "ERROR: DIR/play.yml:5:7: task has no module\n  hint: add a module such as `command:` or `debug:`",
    ]);
  });

  it("reports wrong keyword types at the offending value", () => {
    const { errors, dir } = loadText("- hosts: all\n  serial: [a]\n  tasks:\n    - debug: msg=x\n      when: {}\n");
    expect(printed(errors, dir)).toEqual([
      'ERROR: DIR/play.yml:2:12: `serial` must be a number, a percentage such as "30%", or a list of them, not string "a"',
      "ERROR: DIR/play.yml:5:13: `when` must be a condition or a list of conditions, not a mapping",
    ]);
  });

  it("reports a vars file that does not exist, and an empty hosts pattern", () => {
    const { errors, dir } = loadFiles({
      "play.yml": "- hosts: ''\n  vars_files:\n    - vars/present.yml\n    - vars/absent.yml\n    - '{{ env }}.yml'\n",
      "vars/present.yml": "a: 1\n",
    });
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:1:10: `hosts` must be a host pattern or a list of them, not string \"\"",
      "ERROR: DIR/play.yml:4:7: vars file vars/absent.yml not found\n  hint: looked for DIR/vars/absent.yml",
    ]);
  });

  it("reports a play without hosts", () => {
    const { errors, dir } = loadText("- name: no hosts\n  tasks: []\n");
    expect(printed(errors, dir)).toEqual(["ERROR: DIR/play.yml:1:3: play has no `hosts`"]);
  });

  it("spots a task written where a play should be", () => {
    const { errors } = loadText("- name: oops\n  debug: msg=x\n");
    expect(errors[0]).toMatchObject({ message: "play has no `hosts`", hint: "this looks like a task: put it under a play's `tasks:`" });
  });

  it("reports bad YAML with its line and column", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - debug: msg=x\n   - bad indent\n");
    expect(errors).toHaveLength(1);
    expect(printed(errors, dir)[0]).toMatch(/^ERROR: DIR\/play\.yml:4:\d+: invalid YAML: /);
  });

  it("lists every place searched for a missing role", () => {
    const { errors, dir } = loadFiles({ "play.yml": "- hosts: all\n  roles:\n    - nosuch\n" }, ["/opt/kplay-roles"]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe("role `nosuch` not found");
    expect(errors[0].position).toMatchObject({ file: join(dir, "play.yml"), line: 3, column: 7 });
    const searched = errors[0].hint!;
    expect(searched).toContain(`${join(dir, "roles/nosuch")}, ${join(dir, "nosuch")}`);
    expect(searched).toContain("/opt/kplay-roles/nosuch");
  });

  it("reports a missing import or include file with the paths searched", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - import_tasks: gone.yml\n    - include_tasks: also-gone.yml\n");
    expect(printed(errors, dir)).toEqual([
      `ERROR: DIR/play.yml:3:21: task file gone.yml not found\n  hint: searched: DIR/gone.yml`,
      `ERROR: DIR/play.yml:4:22: task file also-gone.yml not found\n  hint: searched: DIR/also-gone.yml`,
    ]);
  });

  it("checks the keywords an include's `apply` hands on", () => {
    const { errors, dir } = loadFiles({
      "play.yml": "- hosts: all\n  tasks:\n    - include_tasks:\n        file: inc.yml\n        apply:\n          tags: [x]\n          becom: true\n",
      "inc.yml": "- debug: msg=x\n",
    });
    expect(printed(errors, dir)).toEqual(["ERROR: DIR/play.yml:7:11: unknown keyword `becom` in an include's `apply`\n  hint: did you mean `become`?"]);
  });

  it("leaves templated include names to run time", () => {
    const { errors } = loadText("- hosts: all\n  tasks:\n    - include_tasks: '{{ os }}.yml'\n");
    expect(errors).toEqual([]);
  });

  it("reports errors inside an included file at their own position", () => {
    const { errors, dir } = loadFiles({
      "play.yml": "- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n",
      "inc.yml": "- debug: msg=x\n  lop: [1]\n",
    });
    expect(printed(errors, dir)).toEqual(["ERROR: DIR/inc.yml:2:3: unknown keyword `lop`\n  hint: did you mean `loop`?"]);
  });

  it("detects a cycle of import_playbook", () => {
    const { errors, dir } = loadFiles({
      "play.yml": "- import_playbook: b.yml\n",
      "b.yml": "- hosts: all\n  tasks: []\n- import_playbook: play.yml\n",
    });
    expect(printed(errors, dir)).toEqual([
      expect.stringMatching(/^ERROR: DIR\/b\.yml:3:20: import_playbook cycle: .*play\.yml → .*b\.yml → .*play\.yml$/),
    ]);
  });

  it("detects a cycle of import_tasks", () => {
    const { errors } = loadFiles({
      "play.yml": "- hosts: all\n  tasks:\n    - import_tasks: a.yml\n",
      "a.yml": "- import_tasks: play-tasks.yml\n",
      "play-tasks.yml": "- import_tasks: a.yml\n",
    });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^import_tasks cycle: /)]);
  });

  it("checks literal module arguments against the module's schema", () => {
    const { errors, dir } = loadText(
      "- hosts: all\n  tasks:\n    - file: path=/x state=dir\n    - file:\n        state: absent\n        pth: /x\n    - copy: dest=/x moed=0644\n",
    );
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:3:13: file: `state` must be one of file, directory, absent, touch, link; got `dir`",
      "ERROR: DIR/play.yml:5:9: file: missing required argument `path`",
      "ERROR: DIR/play.yml:6:9: file: unknown argument `pth` — did you mean `path`?",
      "ERROR: DIR/play.yml:7:13: copy: unknown argument `moed` — did you mean `mode`?",
    ]);
  });

  it("accepts what Ansible accepts: aliases, yes/no booleans, a string for a list", () => {
    const { errors } = loadText(
      "- hosts: all\n  tasks:\n    - file: dest=/x state=directory recurse=no\n    - sysctl: name=net.ipv4.ip_forward value=1 reload=yes\n",
    );
    expect(errors).toEqual([]);
  });

  it("skips only the templated arguments when checking", () => {
    const { errors, dir } = loadText(
      "- hosts: all\n  tasks:\n    - file:\n        path: /x\n        state: '{{ wanted }}'\n        recurse: '{{ deep }}'\n        mode: {a: 1}\n",
    );
    expect(printed(errors, dir)).toEqual(['ERROR: DIR/play.yml:7:9: file: `mode` must be string or integer; got {"a":1}']);
  });

  it("judges a templated value only at run time, but an unknown argument name at once", () => {
    const { errors, dir } = loadText(
      "- hosts: all\n  tasks:\n    - sysctl: name={{ key }} value=1\n    - sysctl: name='Bad Key'\n    - file: path=/x modde={{ m }}\n",
    );
    expect(printed(errors, dir)).toEqual([
      'ERROR: DIR/play.yml:4:15: sysctl: `name` must match pattern "^[a-z0-9_.]+$"',
      "ERROR: DIR/play.yml:5:13: file: unknown argument `modde` — did you mean `mode`?",
    ]);
  });

  it("refuses free-form text for a module that takes none", () => {
    const { errors } = loadText("- hosts: all\n  tasks:\n    - file: /tmp/x\n");
    expect(errors.map((e) => e.message)).toEqual([
      "module `file` takes no free-form text (`/tmp/x`); write its arguments as k=v or a mapping",
    ]);
  });

  it("checks executor actions: meta, import_role, include_tasks", () => {
    const { errors } = loadText("- hosts: all\n  tasks:\n    - meta: flush\n    - import_tasks: x.yml\n      loop: [1]\n");
    expect(errors.map((e) => [e.message, e.hint])).toEqual([
      ["`meta`: argument `action` must be one of flush_handlers, end_play, end_host, noop, clear_facts, refresh_inventory", undefined],
      ["`import_tasks` cannot use `loop`", "use `include_tasks`, which runs at run time"],
    ]);
  });

  it("refuses Ansible keywords kplay does not implement, saying why", () => {
    const { errors } = loadText("- hosts: all\n  vars_prompt: []\n  tasks: []\n");
    expect(errors.map((e) => [e.message, e.hint])).toEqual([["keyword `vars_prompt` is not supported by kplay", "pass values with -e instead of prompting"]]);
  });

  it("collects errors from every play, role and file at once", () => {
    const { errors } = loadFiles({
      "play.yml": "- hosts: all\n  roles: [r]\n  tasks:\n    - comand: ls\n- hosts: db\n  tasks:\n    - debug: msg=x\n      tags: {a: 1}\n",
      "roles/r/tasks/main.yml": "- debug: msg=x\n  whn: yes\n",
      "roles/r/meta/main.yml": "dependencies: [missing]\n",
    });
    expect(errors.map((e) => e.message)).toEqual([
      "role `missing` not found",
      "unknown keyword `whn`",
      "unknown module `comand`",
      "`tags` must be a tag or a list of tags, not a mapping",
    ]);
  });

  it("reports a notify that no handler answers, accepting names, `role : name` and listen topics", () => {
    const { errors, dir } = loadFiles({
      "play.yml": [
        "- hosts: all",
        "  roles: [r]",
        "  tasks:",
        "    - command: ls",
        "      notify: [restart web, 'r : reload', web changed, '{{ dynamic }}']",
        "    - command: ls",
        "      notify: restart wbe",
        "  handlers:",
        "    - name: restart web",
        "      command: echo",
        "",
      ].join("\n"),
      "roles/r/handlers/main.yml": "- name: reload\n  command: echo\n  listen: web changed\n",
    });
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:7:15: `notify` names `restart wbe`, which no handler of the play has as its name or `listen` topic\n  hint: did you mean `restart web`?",
    ]);
  });

  it("leaves notify to run time when a handler's name is a template", () => {
    const { errors } = loadText(
      "- hosts: all\n  vars: {svc: web}\n  tasks:\n    - command: ls\n      notify: restart web\n  handlers:\n    - name: restart {{ svc }}\n      command: echo\n",
    );
    expect(errors).toEqual([]);
  });

  it("takes a number as a name, and says what a keyword expects in words", () => {
    const { errors, dir } = loadText("- hosts: all\n  tasks:\n    - name: 2\n      debug: msg=x\n      become_user: [a]\n      retries: many\n      ignore_errors: 'Yes'\n      no_log: '{{ hide }}'\n");
    expect(printed(errors, dir)).toEqual([
      "ERROR: DIR/play.yml:5:20: `become_user` must be a string, not a list",
      'ERROR: DIR/play.yml:6:16: `retries` must be a whole number or a template, not string "many"',
    ]);
  });
});
