// What the command line asks the executor to do. The CLI has already loaded and validated
// everything here (exit 5 otherwise), so the executor never re-parses files or flags.
import type { Inventory } from "../engine/inventory/model.js";
import type { Playbook } from "../engine/playbook/model.js";
import type { SshArgs } from "../engine/connection/spec.js";

export interface RunRequest {
  /** Playbooks in command-line order, loaded and validated; `import_playbook` already flattened into `plays`. */
  playbooks: Playbook[];
  /** The merged inventory from every `-i` source (an implicit `localhost` when none was given). */
  inventory: Inventory;
  /** Inventory sources as given with `-i`, in order. */
  inventorySources: string[];
  /** `-l/--limit` host pattern, to intersect with each play's `hosts:`. */
  limit?: string;
  /** Every `-e` merged in command-line order (later wins, top-level keys replace). */
  extraVars: Record<string, unknown>;
  /** `-t/--tags`; empty means every task (Ansible's `all`). */
  tags: string[];
  /** `--skip-tags`. */
  skipTags: string[];
  /** `-C/--check`. */
  check: boolean;
  /** `-D/--diff`. */
  diff: boolean;
  /** `-f/--forks`: hosts worked on at once (default 50). */
  forks: number;
  /** `--start-at-task NAME`: skip every task before the first one with this name. */
  startAtTask?: string;
  connection: {
    /** `-u/--user`: remote user when the inventory sets none. */
    user?: string;
    /** `--private-key`. */
    privateKeyFile?: string;
    /** Read from the terminal when `-k/--ask-pass` was given. */
    password?: string;
    /** `--timeout`, in seconds (default 10, as Ansible). */
    timeoutSeconds: number;
    /** `--accept-new-host-keys`: trust and record keys of hosts not yet in known_hosts. */
    acceptNewHostKeys: boolean;
    /** ansible.cfg's [ssh_connection] ssh_args, ssh_common_args, ssh_extra_args: for hosts without the ansible_ssh_* variable. */
    sshArgs?: SshArgs;
  };
  become: {
    /** `-b/--become`: become for every play (a play or task may still say `become: false`). */
    enabled: boolean;
    /** `--become-user` (default root). */
    user?: string;
    /** Read from the terminal when `-K/--ask-become-pass` was given. */
    password?: string;
  };
  output: {
    /** Count of `-v`. */
    verbosity: number;
    /** `--json`: one JSON event per line on stdout instead of the human output. */
    json: boolean;
    /** `--log-file PATH`. */
    logFile?: string;
    /** `--profile`: task timings at the end. */
    profile: boolean;
  };
  /**
   * `--journal PATH`: the file recording each host's progress (see docs/resume.md); undefined for a
   * new file in `.kplay/journal/` of the current directory; false for `--no-journal`.
   */
  journal?: string | false;
  /** `--resume`: continue the run recorded in `journal` (default: the newest of these playbooks), skipping what completed. */
  resume: boolean;
}
