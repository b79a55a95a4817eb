// command: runs a program with arguments, no shell in between (`|`, `>` and `$X` stay literal).
// Its result has Ansible's shape (cmd, rc, stdout(_lines), stderr(_lines), start, end, delta).
import { split } from "shlex";
import { shellJoin, shellQuote } from "../engine/shell-quote.js";
import { runRemote } from "./lib/remote.js";
import type { ModuleContext, ModuleDefinition, ModuleResult } from "./types.js";

export interface CommandLineSpec {
  /** What the result reports as `cmd`: argv for command, the text for shell. */
  shown: string[] | string;
  /** The sh command line actually run. */
  line: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stripEmptyEnds: boolean;
}

/** Shared by command and shell: creates/removes, check mode, timing and the result's shape. */
export async function runCommandLine(ctx: ModuleContext, spec: CommandLineSpec): Promise<ModuleResult> {
  const guard = await guardedBy(ctx, spec);
  if (guard) return { changed: false, cmd: spec.shown, rc: 0, stdout: guard.stdout, stdout_lines: [guard.stdout], stderr: "", stderr_lines: [], msg: guard.msg };
  if (ctx.check) {
    // Ansible can only predict a command guarded by creates/removes; anything else is skipped.
    const guarded = spec.creates !== undefined || spec.removes !== undefined;
    return { changed: guarded, ...(guarded ? {} : { skipped: true }), rc: 0, msg: "Command would have run if not in check mode" };
  }
  const started = new Date();
  const t0 = performance.now();
  const line = spec.chdir ? `cd ${shellQuote(spec.chdir)} && ${spec.line}` : spec.line;
  const r = await runRemote(ctx, line, spec.stdin);
  const elapsedMs = performance.now() - t0;
  const stdout = spec.stripEmptyEnds ? r.stdout.replace(/[\r\n]+$/, "") : r.stdout;
  const stderr = spec.stripEmptyEnds ? r.stderr.replace(/[\r\n]+$/, "") : r.stderr;
  const failed = r.timedOut === true || r.rc !== 0;
  return {
    changed: true,
    cmd: spec.shown,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    start: pythonTimestamp(started),
    end: pythonTimestamp(new Date(started.getTime() + elapsedMs)),
    delta: pythonDelta(elapsedMs),
    msg: r.timedOut ? "command timed out" : failed ? "non-zero return code" : "",
    ...(failed ? { failed: true } : {}),
  };
}

async function guardedBy(ctx: ModuleContext, spec: CommandLineSpec): Promise<{ msg: string; stdout: string } | undefined> {
  if (spec.creates === undefined && spec.removes === undefined) return undefined;
  // One round trip answers both: prints "creates" or "removes" when the command must not run.
  const tests: string[] = [];
  if (spec.creates !== undefined) tests.push(`[ -e ${shellQuote(spec.creates)} ] && echo creates`);
  if (spec.removes !== undefined) tests.push(`[ -e ${shellQuote(spec.removes)} ] || echo removes`);
  const probe = `${spec.chdir ? `cd ${shellQuote(spec.chdir)} && ` : ""}{ ${tests.join("; ")}; true; }`;
  const r = await runRemote(ctx, probe);
  const answer = r.stdout.trim().split("\n")[0];
  if (answer === "creates") return { msg: `Did not run command since '${spec.creates}' exists`, stdout: `skipped, since ${spec.creates} exists` };
  if (answer === "removes") return { msg: `Did not run command since '${spec.removes}' does not exist`, stdout: `skipped, since ${spec.removes} does not exist` };
  return undefined;
}

function lines(text: string): string[] {
  return text === "" ? [] : text.split(/\r?\n/);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Python's str(datetime.now()): "2026-11-22 02:33:23.429274", local time. */
export function pythonTimestamp(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds() * 1000, 6)}`;
}

/** Python's str(timedelta): "0:00:00.004151". */
export function pythonDelta(ms: number): string {
  const micros = Math.round(ms * 1000);
  const totalSeconds = Math.floor(micros / 1_000_000);
  const h = Math.floor(totalSeconds / 3600);
  return `${h}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}.${pad(micros % 1_000_000, 6)}`;
}

export interface CommandArgs {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
}

export const commandModule: ModuleDefinition<CommandArgs> = {
  name: "command",
  freeForm: "cmd",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      cmd: { type: "string" },
      argv: { type: "array", items: { type: "string" }, minItems: 1 },
      chdir: { type: "string" },
      creates: { type: "string" },
      removes: { type: "string" },
      stdin: { type: "string" },
      stdin_add_newline: { type: "boolean", default: true },
      strip_empty_ends: { type: "boolean", default: true },
    },
    oneOf: [{ required: ["cmd"] }, { required: ["argv"] }],
  },
  async run(ctx, args) {
    const argv = args.argv ?? split(args.cmd ?? "");
    if (argv.length === 0) return { changed: false, failed: true, msg: "no command given" };
    return runCommandLine(ctx, {
      shown: argv,
      // The program replaces the subshell the command runs in: one process fewer on the host, and
      // a name like `echo` runs the program, as Ansible runs it, not sh's builtin of that name.
      line: `exec ${shellJoin(argv)}`,
      ...(args.chdir !== undefined ? { chdir: args.chdir } : {}),
      ...(args.creates !== undefined ? { creates: args.creates } : {}),
      ...(args.removes !== undefined ? { removes: args.removes } : {}),
      ...(args.stdin !== undefined ? { stdin: args.stdin_add_newline ? `${args.stdin}\n` : args.stdin } : {}),
      stripEmptyEnds: args.strip_empty_ends,
    });
  },
};
