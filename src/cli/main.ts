// The `kplay` command line: ansible-playbook's flags for running playbooks, and
// `kplay inventory` for ansible-inventory's views. Flags only: the work is done elsewhere.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { formatError, isKplayError, type ErrorContext } from "../engine/errors.js";
import { kplayVersion } from "../engine/version.js";
import { printErrors, processIO, type CliIO } from "./io.js";
import type { GivenPlaybookFlags } from "./ansible-settings.js";
import type { RunRequest } from "./run-request.js";
import { addVaultCommand } from "./vault-command.js";
import { addVaultOptions, type VaultFlags } from "./vault-flags.js";


/** The run broke in a way no host result explains (Ansible's 1). */
const EXIT_INTERNAL_ERROR = 1;

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const count = (_value: string, previous: number): number => previous + 1;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a number of seconds above 0");
  return n;
}

export interface MainOptions {
  io?: CliIO;
  /** The executor; tests replace it to see the RunRequest. */
  run?: (request: RunRequest) => Promise<number>;
}

function buildProgram(io: CliIO, run: (request: RunRequest) => Promise<number>, setExit: (code: number) => void): Command {
  const program = new Command("kplay");
  program
    // Flags after `inventory` belong to it, not to the playbook command.
    .enablePositionalOptions()
    .description("Run Ansible-style playbooks over SSH")
    .version(kplayVersion(), "--version", "print kplay's version")
    .usage("[options] PLAYBOOK...")
    .argument("<playbooks...>", "playbook files to run, in order")
    .option("-i, --inventory <source>", "inventory file, directory or host list (repeatable)", collect, [])
    .option("-l, --limit <pattern>", "further limit the hosts to this pattern")
    .option("-e, --extra-vars <vars>", "key=value, YAML/JSON, or @file (repeatable, later wins)", collect, [])
    .option("-t, --tags <tags>", "only run tasks with these tags (comma separated, repeatable)", collect, [])
    .option("--skip-tags <tags>", "skip tasks with these tags (comma separated, repeatable)", collect, [])
    .option("-C, --check", "change nothing; report what would change")
    .option("-D, --diff", "show the differences in files and settings")
    .option("-f, --forks <n>", "hosts worked on at once (default: ansible.cfg's forks, else 50)", positiveInteger)
    .option("-u, --user <user>", "connect as this user")
    .option("--private-key <file>", "use this private key file")
    .option("-k, --ask-pass", "ask for the connection password")
    .option("-K, --ask-become-pass", "ask for the privilege escalation (sudo) password")
    .option("-b, --become", "run operations with become (sudo)")
    .option("--become-user <user>", "become this user (default root)")
    .option("--syntax-check", "check the playbooks and inventory, run nothing")
    .option("--list-hosts", "list the hosts each play would run on")
    .option("--list-tasks", "list the tasks that would run")
    .option("--list-tags", "list the tags of the tasks that would run")
    .option("--start-at-task <name>", "start the playbook at the task with this name")
    .option("-v, --verbose", "more output (repeat for more: -vvv)", count, 0)
    .option("--json", "print one JSON event per line instead of the human output")
    .option("--log-file <path>", "also write a log to this file")
    .option("--profile", "show how long each task took")
    .option("--accept-new-host-keys", "trust and record the keys of hosts not yet in known_hosts")
    .option("--timeout <seconds>", "connection timeout in seconds (default: ansible.cfg's timeout, else 10)", positiveNumber)
    .option("--journal <path>", "record each host's progress in this file (default: a new file in .kplay/journal/)")
    .option("--no-journal", "record no journal (the run cannot be resumed)")
    .option("--resume", "continue the run recorded in --journal (default: the newest of these playbooks), skipping what completed")
    .action(async (playbooks: string[], flags: GivenPlaybookFlags) => {
      // Loaded when a command runs, so --help and --version start without the engine.
      const { playbookCommand } = await import("./playbook-command.js");
      setExit(await playbookCommand(playbooks, flags, io, run));
    });

  addVaultOptions(program);
  addVaultOptions(program.command("inventory"))
    .description("show the inventory as ansible-inventory does")
    .option("-i, --inventory <source>", "inventory file, directory or host list (repeatable)", collect, [])
    .option("--list", "all groups and hosts with their variables, as JSON")
    .option("--host <name>", "one host's variables, as JSON")
    .option("--graph", "the group tree")
    .option("--playbook-dir <dir>", "also read group_vars/ and host_vars/ beside this directory's playbooks")
    .option("-e, --extra-vars <vars>", "key=value, YAML/JSON, or @file (repeatable, later wins)", collect, [])
    .argument("[group]", "group to draw with --graph (default all)")
    .action(async (group: string | undefined, given: VaultFlags & { inventory: string[]; list?: boolean; host?: string; graph?: boolean; playbookDir?: string; extraVars: string[] }) => {
      const [{ parseExtraVars }, { inventoryCommand }, { openVault, TerminalQuestions }, { readAnsibleSettings, withVaultSettings, inventorySources }] = await Promise.all([
        import("./extra-vars.js"), import("./inventory-command.js"), import("./open-vault.js"), import("./ansible-settings.js"),
      ]);
      const { settings, errors } = readAnsibleSettings(io);
      if (!settings) return setExit(printErrors(errors, io));
      // As ansible-inventory: ansible.cfg's inventory where no -i is given, and its vault secrets.
      const flags = { ...withVaultSettings(given, settings), inventory: inventorySources(given.inventory, settings).inventory };
      const questions = new TerminalQuestions(io);
      // Inline `!vault` values stay encrypted in the output, as ansible-inventory shows them.
      const vaultErrors = await openVault(flags, questions, "keep").finally(() => questions.done());
      if (vaultErrors.length > 0) return setExit(printErrors(vaultErrors, io));
      const extra = parseExtraVars(flags.extraVars);
      if (extra.errors.length > 0) return setExit(printErrors(extra.errors, io));
      try {
        const text = inventoryCommand({
          inventories: flags.inventory,
          list: flags.list,
          host: flags.host,
          graph: flags.graph,
          pattern: group,
          playbookDir: flags.playbookDir,
          extraVars: extra.vars,
          onWarning: (message) => io.stderr.write(`[WARNING]: ${message}\n`),
        });
        io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
        setExit(0);
      } catch (e) {
        if (!(e instanceof AggregateError)) throw e;
        setExit(printErrors(e.errors.map((x) => (isKplayError(x) ? x.context : { kind: "usage", message: String(x) })), io));
      }
    });

  addVaultCommand(program, io, setExit);

  // Commander reports bad flags itself; kplay prints them as its own errors and exits 5.
  const configure = (cmd: Command) =>
    cmd.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined,
    });
  configure(program);
  program.commands.forEach(configure);
  return program;
}

/** The executor is loaded only to run: listing, checking and --help start without SSH code. */
function executorWriting(io: CliIO): (request: RunRequest) => Promise<number> {
  return async (request) => {
    const [executor, output] = await Promise.all([import("../engine/executor/index.js"), import("../engine/output/index.js")]);
    return executor.runPlaybooks(request, output.createOutput(request.output, io.stdout, io.stderr));
  };
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  let code = 0;
  const program = buildProgram(io, options.run ?? executorWriting(io), (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return printErrors([{ kind: "usage", message: e.message.replace(/^error: /, ""), hint: "see kplay --help" }], io);
    }
    // Something the run itself could not handle: say what, never a bare stack trace.
    const context: ErrorContext = isKplayError(e) ? e.context : { kind: "runtime", message: e instanceof Error ? e.message : String(e) };
    io.stderr.write(`${formatError(context)}\n`);
    return EXIT_INTERNAL_ERROR;
  }
}
