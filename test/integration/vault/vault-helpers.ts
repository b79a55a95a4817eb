// Shared by the vault tests: a scratch directory, and the real Ansible programs (ansible-vault,
// ansible-inventory, ansible-playbook) run with an empty config so nothing around the test leaks in.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface Scratch {
  dir: string;
  /** Writes a file under the scratch directory; returns its absolute path. */
  write(name: string, text: string, mode?: number): string;
  path(name: string): string;
}

export function scratch(prefix = "kplay-vault-"): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, text, mode = 0o644) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      chmodSync(path, mode);
      return path;
    },
  };
}

export interface ProgramRun {
  code: number;
  stdout: string;
  stderr: string;
}

const configDir = mkdtempSync(join(tmpdir(), "kplay-ansible-cfg-"));
const configFile = join(configDir, "ansible.cfg");
writeFileSync(configFile, "");

const { ANSIBLE_VAULT_PASSWORD_FILE: _ignored, ...inherited } = process.env;
const ansibleEnv = { ...inherited, ANSIBLE_CONFIG: configFile, ANSIBLE_NOCOLOR: "1" };

/** Runs one of Ansible's programs; a missing program fails the test (the comparison is the point). */
export function ansible(program: string, args: string[], cwd: string, input?: string): Promise<ProgramRun> {
  return new Promise((done, failed) => {
    const child = execFile(
      program,
      args,
      {
        cwd,
        encoding: "utf8",
        env: ansibleEnv,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return failed(error);
        done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? "");
  });
}
