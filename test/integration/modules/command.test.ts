// command and shell on a real host: what reaches the program, creates/removes, check mode, and
// how many processes a command costs there.
import { describe, expect, it } from "vitest";
import { commandModule } from "../../../src/modules/command.js";
import { validateModuleArgs } from "../../../src/modules/validate-args.js";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modcommand");

/** Run by `sh -c`: prints how many processes stand between it and sshd (the connection's sh counts). */
const SHELLS_ABOVE = "p=$PPID; n=0; read -r name < /proc/$p/comm; while [ \"$name\" != sshd ]; do n=$((n+1)); read -r _ _ _ p _ < /proc/$p/stat; read -r name < /proc/$p/comm; done; echo $n";

describe("command", () => {
  it("runs the program with its arguments as they are: no pipes, variables or backslash escapes", async () => {
    const r = await t.run("command", { cmd: "echo a|b $HOME 'c\\nd'" });
    expect(r).toMatchObject({ changed: true, rc: 0, stdout: "a|b $HOME c\\nd", stderr: "" });
    expect(r.cmd).toEqual(["echo", "a|b", "$HOME", "c\\nd"]);
    // `echo` is /bin/echo, as Ansible runs it: sh's builtin would have turned \n into a newline.
    expect(r.stdout_lines).toEqual(["a|b $HOME c\\nd"]);
    const argv = await t.run("command", { argv: ["printf", "%s|", "one two", "$x"] });
    expect(argv.stdout).toBe("one two|$x|");
  });

  it("starts the program in place of the subshell it is run from", async () => {
    // Without exec the program's parent would be a subshell, whose parent is the connection's sh.
    const r = await t.run("command", { argv: ["sh", "-c", SHELLS_ABOVE] });
    expect(r.stdout).toBe("1");
  });

  it("fails with the shell's words for a program that does not exist, or a builtin", async () => {
    for (const cmd of ["no-such-program --flag", "cd /tmp"]) {
      const r = await t.run("command", { cmd });
      expect(r).toMatchObject({ failed: true, rc: 127, msg: "non-zero return code" });
      expect(r.stderr).toContain(`${cmd.split(" ")[0]}: not found`);
    }
  });

  it("runs in chdir, feeds stdin, and strips trailing newlines unless asked not to", async () => {
    expect((await t.run("command", { cmd: "pwd", chdir: "/usr/share" })).stdout).toBe("/usr/share");
    expect((await t.run("command", { cmd: "cat", stdin: "one\ntwo" })).stdout_lines).toEqual(["one", "two"]);
    expect((await t.run("command", { cmd: "cat", stdin: "x", strip_empty_ends: false })).stdout).toBe("x\n");
    const missing = await t.run("command", { cmd: "pwd", chdir: "/no/such/dir" });
    expect(missing).toMatchObject({ failed: true });
    expect(missing.stderr).toContain("/no/such/dir");
  });

  it("is idempotent through creates and removes, and runs nothing under --check unless it can predict", async () => {
    await t.sh("rm -f /tmp/cmd-made");
    const first = await t.run("command", { cmd: "touch /tmp/cmd-made", creates: "/tmp/cmd-made" });
    expect(first).toMatchObject({ changed: true, rc: 0 });
    const second = await t.run("command", { cmd: "touch /tmp/cmd-made", creates: "/tmp/cmd-made" });
    expect(second).toMatchObject({ changed: false, msg: "Did not run command since '/tmp/cmd-made' exists" });
    const removes = await t.run("command", { cmd: "rm /tmp/cmd-gone", removes: "/tmp/cmd-gone" });
    expect(removes).toMatchObject({ changed: false, msg: "Did not run command since '/tmp/cmd-gone' does not exist" });

    await t.sh("rm -f /tmp/cmd-made");
    const checked = await t.run("command", { cmd: "touch /tmp/cmd-made" }, { check: true });
    expect(checked).toMatchObject({ changed: false, skipped: true });
    expect(checked.sent.runs).toEqual([]);
    const predicted = await t.run("command", { cmd: "touch /tmp/cmd-made", creates: "/tmp/cmd-made" }, { check: true });
    expect(predicted).toMatchObject({ changed: true });
    await expect(t.sh("test ! -e /tmp/cmd-made")).resolves.toBe("");
  });

  it("reports the same with --diff, and its schema refuses arguments it does not know", async () => {
    const r = await t.run("command", { cmd: "echo same" }, { diff: true });
    expect(r).toMatchObject({ changed: true, stdout: "same" });
    expect(r).not.toHaveProperty("diff");
    // The executor refuses such a task before it reaches the host (task-runner.ts).
    const errors = validateModuleArgs(commandModule, { cmd: "echo x", chdri: "/tmp" });
    expect(errors.map((e) => `${e.message} ${e.hint ?? ""}`).join()).toMatch(/chdri[\s\S]*chdir/);
    expect(validateModuleArgs(commandModule, { chdir: "/tmp" })).not.toEqual([]);
  });
});

describe("shell", () => {
  it("runs the text through sh: pipes, variables, several commands and a trailing comment", async () => {
    const r = await t.run("shell", { cmd: "echo a | tr a b; echo \"$HOME\" # the end" });
    expect(r).toMatchObject({ changed: true, rc: 0, stdout_lines: ["b", "/root"], cmd: "echo a | tr a b; echo \"$HOME\" # the end" });
  });

  it("keeps chdir in front of every command of the text, and stops at a failed cd", async () => {
    expect((await t.run("shell", { cmd: "pwd; pwd", chdir: "/usr/share" })).stdout_lines).toEqual(["/usr/share", "/usr/share"]);
    const r = await t.run("shell", { cmd: "echo ran; echo again", chdir: "/no/such/dir" });
    expect(r).toMatchObject({ failed: true, stdout: "" });
  });

  it("exits with the text's exit code, and runs another interpreter when asked", async () => {
    expect(await t.run("shell", { cmd: "exit 3" })).toMatchObject({ failed: true, rc: 3 });
    expect((await t.run("shell", { cmd: "echo ${BASH_VERSION:+bash}", executable: "/bin/bash" })).stdout).toBe("bash");
  });

  it("is skipped under --check without creates, and idempotent with it", async () => {
    await t.sh("rm -f /tmp/sh-made");
    expect(await t.run("shell", { cmd: "touch /tmp/sh-made" }, { check: true })).toMatchObject({ skipped: true, changed: false });
    await expect(t.sh("test ! -e /tmp/sh-made")).resolves.toBe("");
    expect(await t.run("shell", { cmd: "touch /tmp/sh-made", creates: "/tmp/sh-made" })).toMatchObject({ changed: true });
    expect(await t.run("shell", { cmd: "touch /tmp/sh-made", creates: "/tmp/sh-made" })).toMatchObject({ changed: false });
  });
});
