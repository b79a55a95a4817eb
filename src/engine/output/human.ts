// Ansible's default callback, line for line: banners, per-host results, items, recap.
import { styleText } from "node:util";
import { banner } from "./banner.js";
import { alwaysVerbose, displayResult } from "./display-result.js";
import type { HostStatus, OutputCallback, RunEvent, TaskInfo } from "./events.js";
import { formatFileDiff } from "./file-diff.js";
import { pythonJson } from "./python-format.js";
import { pyStr } from "../expr/values.js";
import { recapLines, type Paint } from "./recap.js";
import { StatusLine } from "./status-line.js";
import type { TerminalWriter } from "./terminal-writer.js";
import type { FileDiff } from "../../modules/types.js";

const COLORS: Record<Parameters<Paint>[0], Parameters<typeof styleText>[0] | undefined> = {
  ok: "green",
  changed: "yellow",
  skipped: "cyan",
  failed: "red",
  unreachable: "redBright",
  plain: undefined,
};

const INCLUDES = new Set(["include_tasks", "include_role"]);

export interface HumanOptions {
  verbosity: number;
  color: boolean;
}

export class HumanCallback implements OutputCallback {
  private lastBanner: string | undefined;
  private strategy: "linear" | "free" = "linear";
  private readonly paint: Paint;
  private readonly status: StatusLine;

  constructor(
    private readonly out: TerminalWriter,
    private readonly err: TerminalWriter,
    private readonly options: HumanOptions,
  ) {
    this.paint = options.color ? (kind, text) => (COLORS[kind] ? styleText(COLORS[kind]!, text) : text) : (_k, t) => t;
    this.status = new StatusLine(out);
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case "play_start":
        this.strategy = event.strategy;
        this.lastBanner = undefined;
        this.blankThenBanner(`PLAY [${event.name}]`);
        break;
      case "no_hosts_matched":
        this.out.line(this.paint("skipped", "skipping: no hosts matched"));
        break;
      case "no_more_hosts":
        this.blankThenBanner("NO MORE HOSTS LEFT");
        break;
      case "task_start":
        // Ansible prints the banner at once for linear plays; under `free` only when a result arrives.
        if (this.strategy === "linear") {
          this.taskBanner(event.task, true);
          this.status.taskStarted(event.task.title, event.hosts);
        }
        break;
      case "item_result":
        this.taskBanner(event.task);
        this.itemLine(event);
        break;
      case "host_result":
        this.taskBanner(event.task);
        this.status.hostDone(event.host);
        this.hostLines(event);
        break;
      case "retry":
        this.out.line(this.paint("failed", `FAILED - RETRYING: [${event.host}]: ${event.title} (${event.retriesLeft} retries left).`));
        break;
      case "task_end":
        this.status.taskEnded();
        break;
      case "included":
        this.out.line(`included: ${event.file} for ${event.hosts.join(", ")}${event.label !== undefined ? ` => (item=${pyStr(event.label)})` : ""}`);
        break;
      case "warning":
        this.errLine(styleIf(this.options.color, "magentaBright", `[WARNING]: ${event.host ? `[${event.host}]: ` : ""}${event.message}`));
        break;
      case "error":
        this.errLine(styleIf(this.options.color, "red", event.message.startsWith("ERROR") ? event.message : `ERROR! ${event.message}`));
        break;
      case "resuming":
        this.out.line(`Resuming the run recorded in ${event.journal}${event.complete.length > 0 ? ` (completed there, nothing to do: ${event.complete.join(", ")})` : ""}`);
        break;
      case "retry_file":
        this.out.line(`\tto retry, use: --limit @${event.path}`);
        break;
      case "recap":
        if (event.interrupted) this.errLine(styleIf(this.options.color, "red", event.signal ? ` [ERROR]: Terminated by ${event.signal}` : " [ERROR]: User interrupted execution"));
        this.blankThenBanner("PLAY RECAP");
        for (const l of recapLines(event.stats, this.paint)) this.out.line(l);
        this.out.line("");
        break;
      default:
        break;
    }
  }

  async close(): Promise<void> {
    this.status.taskEnded();
    await Promise.all([this.out.close(), this.err.close()]);
  }

  /** stderr lines keep their place among stdout lines on a shared terminal (rare, so unbuffered). */
  private errLine(text: string): void {
    this.out.flush();
    this.err.line(text);
    this.err.flush();
  }

  private width(): number {
    return this.out.isTTY ? Math.max(79, this.out.columns - 1) : 79;
  }

  private blankThenBanner(text: string): void {
    this.out.line("");
    this.out.line(banner(text, this.width()));
  }

  /** `always`: linear plays show every task start, even a task seen just before (next batch). */
  private taskBanner(task: TaskInfo, always = false): void {
    if (this.lastBanner === task.id && !always) return;
    this.lastBanner = task.id;
    this.blankThenBanner(`${task.handler ? "RUNNING HANDLER" : "TASK"} [${task.title}]`);
  }

  private label(host: string, delegatedTo?: string): string {
    return delegatedTo && delegatedTo !== host ? `${host} -> ${delegatedTo}` : host;
  }

  private shown(task: TaskInfo, result: Record<string, unknown>, status: HostStatus): string {
    const always = alwaysVerbose(result);
    const verbose = status === "failed" || status === "unreachable" || this.options.verbosity > 0 || always;
    if (!verbose) return "";
    return pythonJson(displayResult(task.module, result), always ? 4 : undefined);
  }

  private diffs(result: Record<string, unknown>): void {
    const diffs = result.diff as FileDiff[] | undefined;
    if (!Array.isArray(diffs)) return;
    for (const d of diffs) {
      const text = formatFileDiff(d);
      if (text) this.out.line(text);
    }
  }

  private itemLine(e: Extract<RunEvent, { type: "item_result" }>): void {
    const who = this.label(e.host, e.delegatedTo);
    const item = `(item=${pyStr(e.label)})`;
    const json = this.shown(e.task, e.result, e.status);
    this.diffs(e.result);
    switch (e.status) {
      case "failed":
        this.out.line(this.paint("failed", `failed: [${who}] ${item} => ${json}`));
        break;
      case "skipped":
        // Ansible leaves a trailing space after the item here.
        this.out.line(this.paint("skipped", `skipping: [${who}] => ${item} ${json ? ` => ${json}` : ""}`));
        break;
      case "unreachable":
        this.out.line(this.paint("unreachable", `fatal: [${who}]: UNREACHABLE! => ${item} => ${json}`));
        break;
      default:
        this.out.line(this.paint(e.status, `${e.status}: [${who}] => ${item}${json ? ` => ${json}` : ""}`));
    }
  }

  private hostLines(e: Extract<RunEvent, { type: "host_result" }>): void {
    const who = this.label(e.host, e.delegatedTo);
    switch (e.status) {
      case "unreachable":
        this.out.line(this.paint("unreachable", `fatal: [${who}]: UNREACHABLE! => ${this.shown(e.task, e.result, e.status)}`));
        if (e.ignored) this.out.line(this.paint("skipped", "...ignoring"));
        return;
      case "failed":
        if (!e.looped) {
          this.diffs(e.result);
          this.out.line(this.paint("failed", `fatal: [${who}]: FAILED! => ${this.shown(e.task, e.result, e.status)}`));
        }
        if (e.ignored) this.out.line(this.paint("skipped", "...ignoring"));
        return;
      case "skipped": {
        if (e.doneInResumedRun) {
          this.out.line(this.paint("skipped", `skipping: [${who}] (done in the resumed run)`));
          return;
        }
        const json = this.options.verbosity > 0 ? this.shown(e.task, e.result, e.status) : "";
        this.out.line(this.paint("skipped", `skipping: [${who}]${json ? ` => ${json}` : ""}`));
        return;
      }
      default: {
        // Includes show as "included: ..." lines instead.
        if (e.looped || INCLUDES.has(e.task.module)) return;
        this.diffs(e.result);
        const json = this.shown(e.task, e.result, e.status);
        this.out.line(this.paint(e.status, `${e.status}: [${who}]${json ? ` => ${json}` : ""}`));
      }
    }
  }
}

function styleIf(color: boolean, style: Parameters<typeof styleText>[0], text: string): string {
  return color ? styleText(style, text) : text;
}
