// One round trip, several answers: a probe script runs each named command in a subshell and
// frames its output with a per-call random marker and the command's exit code, so file contents
// (with or without a final newline) and command outputs come back apart and intact.
import { randomBytes } from "node:crypto";
import type { ModuleContext } from "../types.js";
import { ModuleFailure } from "./operation.js";
import { runRemote } from "./remote.js";

export interface SectionProbe {
  name: string;
  /** A POSIX sh command line; its stdout becomes the section's text. */
  command: string;
}

export interface Section {
  text: string;
  rc: number;
}

export interface SectionedScript {
  script: string;
  /** Splits the script's stdout back into its sections, by name. */
  parse(stdout: string): Map<string, Section>;
}

/** The rest of a section's trailer line after "\n<marker>:"; one regex for every probe (a marker-specific one compiles per call). */
const TRAILER_TAIL = /([A-Za-z0-9_-]+) (\d+)\n/y;

export function sectionedScript(probes: readonly SectionProbe[], marker = `@@kplay-${randomBytes(6).toString("hex")}`): SectionedScript {
  const script = probes
    .map((p) => `( ${p.command}\n); printf '\\n%s %s\\n' ${marker}:${p.name} $?`)
    .join("\n");
  const head = `\n${marker}:`;
  return {
    script,
    parse(stdout: string): Map<string, Section> {
      const sections = new Map<string, Section>();
      let start = 0;
      let at = stdout.indexOf(head);
      while (at !== -1) {
        TRAILER_TAIL.lastIndex = at + head.length;
        const m = TRAILER_TAIL.exec(stdout);
        if (m) {
          sections.set(m[1], { text: stdout.slice(start, at), rc: Number(m[2]) });
          start = TRAILER_TAIL.lastIndex;
        }
        at = stdout.indexOf(head, m ? start : at + 1);
      }
      return sections;
    },
  };
}

/** Runs the probes as one remote command; the answer's `get` fails clearly when a section is missing. */
export async function runSections(ctx: ModuleContext, probes: readonly SectionProbe[]): Promise<(name: string) => Section> {
  const { script, parse } = sectionedScript(probes);
  const result = await runRemote(ctx, script);
  const sections = parse(result.stdout);
  return (name: string) => {
    const section = sections.get(name);
    if (!section) {
      const said = result.stderr.trim().split("\n").slice(-3).join("\n");
      throw new ModuleFailure(`probing the host failed before "${name}" answered (rc ${result.rc})${said ? `: ${said}` : ""}`);
    }
    return section;
  };
}
