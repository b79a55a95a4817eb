// `kplay [options] PLAYBOOK...`: validates everything (flags, -e, inventory, playbooks) before
// anything runs, then lists, syntax-checks or hands a RunRequest to the executor.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isKplayError, type ErrorContext } from "../engine/errors.js";
import { loadInventory } from "../engine/inventory/load.js";
import type { Inventory } from "../engine/inventory/model.js";
import { resolvePattern } from "../engine/inventory/pattern.js";
import { loadPlaybook } from "../engine/playbook/loader.js";
import { checkVaultedVarsFiles } from "../engine/vault/vars-files-check.js";
import type { Playbook } from "../engine/playbook/model.js";
import type { SshArgs } from "../engine/connection/spec.js";
import { parseExtraVars } from "./extra-vars.js";
import { listPlaybook } from "./listing.js";
import { templatePlayHeaders } from "./play-headers.js";
import { printErrors, type CliIO } from "./io.js";
import type { RunRequest } from "./run-request.js";
import { openVault, TerminalQuestions } from "./open-vault.js";
import type { VaultFlags } from "./vault-flags.js";
import { readAnsibleSettings, withPlaybookSettings, type GivenPlaybookFlags } from "./ansible-settings.js";

/** The flags as commander hands them over. */
export interface PlaybookFlags extends VaultFlags {
  inventory: string[];
  limit?: string;
  extraVars: string[];
  tags: string[];
  skipTags: string[];
  check?: boolean;
  diff?: boolean;
  forks: number;
  user?: string;
  privateKey?: string;
  askPass?: boolean;
  askBecomePass?: boolean;
  become?: boolean;
  becomeUser?: string;
  syntaxCheck?: boolean;
  listHosts?: boolean;
  listTasks?: boolean;
  listTags?: boolean;
  startAtTask?: string;
  verbose: number;
  json?: boolean;
  logFile?: string;
  profile?: boolean;
  acceptNewHostKeys?: boolean;
  timeout: number;
  /** Where the inventory sources came from when no -i gave them ("inventory in FILE", "ANSIBLE_INVENTORY"). */
  inventoryFrom?: string;
  /** ansible.cfg's [ssh_connection] arguments (or their ANSIBLE_SSH_* variables). */
  sshArgs?: SshArgs;
  /** ansible.cfg's roles_path (or $ANSIBLE_ROLES_PATH). */
  rolesPath?: string[];
  /** A path, or false for --no-journal. */
  journal?: string | false;
  resume?: boolean;
}

/** `-t a,b -t c` → ["a", "b", "c"], as Ansible splits them. */
function splitTags(values: string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((t) => t.trim()).filter(Boolean);
}

interface Loaded {
  playbooks: Playbook[];
  inventory: Inventory;
  extraVars: Record<string, unknown>;
}

/** A --limit that cannot be read, or leaves no host at all, is refused as ansible-playbook does. */
function checkLimit(inventory: Inventory, limit: string): ErrorContext[] {
  try {
    const hosts = resolvePattern(inventory, "all", { limit, onWarning: () => undefined });
    return hosts.length > 0 ? [] : [{ kind: "usage", message: `--limit ${limit} does not match any host of the inventory` }];
  } catch (e) {
    if (isKplayError(e)) return [e.context];
    throw e;
  }
}

/** Everything the run needs, or every error found in it. */
function loadAll(paths: string[], flags: PlaybookFlags): { loaded?: Loaded; errors: ErrorContext[] } {
  const errors: ErrorContext[] = [];
  if (flags.resume && flags.journal === false) errors.push({ kind: "usage", message: "--resume reads the journal that --no-journal turns off", hint: "drop --no-journal" });
  const extra = parseExtraVars(flags.extraVars);
  errors.push(...extra.errors);

  const playbooks: Playbook[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      errors.push({ kind: "usage", message: `the playbook ${path} could not be found` });
      continue;
    }
    const result = loadPlaybook(path, flags.rolesPath ? { rolesPath: flags.rolesPath } : {});
    errors.push(...result.errors);
    if (result.playbook) playbooks.push(result.playbook);
  }
  errors.push(...templatePlayHeaders(playbooks, extra.vars));
  errors.push(...checkVaultedVarsFiles(playbooks));
  // group_vars/ beside the (first) playbook count as inventory variables, as in Ansible.
  const playbookDir = dirname(resolve(paths[0]));
  const inv = loadInventory(flags.inventory, { playbookDir });
  // A source the user did not type: say where it was configured.
  errors.push(...inv.errors.map((e) => (flags.inventoryFrom ? { ...e.context, message: `${e.context.message} (set by ${flags.inventoryFrom})` } : e.context)));
  if (inv.errors.length === 0 && flags.limit !== undefined) errors.push(...checkLimit(inv.inventory, flags.limit));
  if (errors.length > 0) return { errors };
  return { loaded: { playbooks, inventory: inv.inventory, extraVars: extra.vars }, errors };
}

interface Passwords {
  ssh?: string;
  become?: string;
}

/** -k and -K, asked first as ansible-playbook asks them. */
async function askPasswords(flags: PlaybookFlags, questions: TerminalQuestions): Promise<Passwords> {
  const ssh = flags.askPass ? await questions.ask("SSH password: ") : undefined;
  if (!flags.askBecomePass) return { ssh };
  // As Ansible: an empty answer reuses the SSH password.
  return { ssh, become: (await questions.ask(`BECOME password${ssh !== undefined ? "[defaults to SSH password]" : ""}: `)) || ssh };
}

function buildRequest(loaded: Loaded, flags: PlaybookFlags, passwords: Passwords): RunRequest {
  return {
    playbooks: loaded.playbooks,
    inventory: loaded.inventory,
    inventorySources: flags.inventory,
    limit: flags.limit,
    extraVars: loaded.extraVars,
    tags: splitTags(flags.tags),
    skipTags: splitTags(flags.skipTags),
    check: flags.check === true,
    diff: flags.diff === true,
    forks: flags.forks,
    startAtTask: flags.startAtTask,
    connection: {
      user: flags.user,
      privateKeyFile: flags.privateKey,
      password: passwords.ssh,
      timeoutSeconds: flags.timeout,
      acceptNewHostKeys: flags.acceptNewHostKeys === true,
      ...(flags.sshArgs ? { sshArgs: flags.sshArgs } : {}),
    },
    become: { enabled: flags.become === true, user: flags.becomeUser, password: passwords.become },
    output: { verbosity: flags.verbose, json: flags.json === true, logFile: flags.logFile, profile: flags.profile === true },
    journal: flags.journal,
    resume: flags.resume === true,
  };
}

/** @param run the executor (runPlaybooks), called only when everything is valid and nothing is listed. */
export async function playbookCommand(
  paths: string[],
  given: GivenPlaybookFlags,
  io: CliIO,
  run: (request: RunRequest) => Promise<number>,
): Promise<number> {
  const { settings, origins, errors: settingsErrors } = readAnsibleSettings(io);
  if (!settings) return printErrors(settingsErrors, io);
  const { flags, errors: flagErrors } = withPlaybookSettings(given, settings, origins);
  if (flagErrors.length > 0) return printErrors(flagErrors, io);
  // Every password first, on one terminal reader so that answers piped in together all arrive:
  // SSH and become as ansible-playbook asks them, then the vault secrets reading the files needs.
  const questions = new TerminalQuestions(io);
  let passwords: Passwords;
  let vaultErrors: ErrorContext[];
  try {
    passwords = await askPasswords(flags, questions);
    vaultErrors = await openVault(flags, questions);
  } catch (e) {
    return printErrors([{ kind: "usage", message: (e as Error).message }], io);
  } finally {
    questions.done();
  }
  if (vaultErrors.length > 0) return printErrors(vaultErrors, io);
  const { loaded, errors } = loadAll(paths, flags);
  if (!loaded) return printErrors(errors, io);

  if (flags.syntaxCheck) {
    for (const pb of loaded.playbooks) io.stdout.write(`\nplaybook: ${pb.path}\n`);
    return 0;
  }
  if (flags.listHosts || flags.listTasks || flags.listTags) {
    const inventory = loaded.inventory;
    const warn = (message: string) => io.stderr.write(`[WARNING]: ${message}\n`);
    try {
      for (const playbook of loaded.playbooks) {
        const text = listPlaybook(playbook, {
          hosts: flags.listHosts ? (play) => resolvePattern(inventory, play.hosts, { limit: flags.limit, onWarning: warn }) : undefined,
          tasks: flags.listTasks === true,
          tags: flags.listTags === true,
          onlyTags: splitTags(flags.tags),
          skipTags: splitTags(flags.skipTags),
        });
        io.stdout.write(text);
      }
    } catch (e) {
      if (isKplayError(e)) return printErrors([e.context], io);
      throw e;
    }
    return 0;
  }
  return run(buildRequest(loaded, flags, passwords));
}
