// kubectl: apply or delete manifests with the kubectl and kubeconfig of a target (Kubespray's
// `kube` module, in the probe/plan/apply shape). The probe is the same command with
// `--dry-run=server`, so check mode asks the API server what would change and changes nothing;
// the task is changed only when kubectl says created/configured/deleted, never for "unchanged".
// With `wait`, a run that changed something then follows the rollout of every Deployment,
// DaemonSet and StatefulSet in the manifests.
import { stringify } from "yaml";
import { shellJoin } from "../engine/shell-quote.js";
import { stateDiff } from "./lib/diff.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import type { ModuleContext } from "./types.js";

export interface KubectlArgs {
  state: "present" | "absent";
  src?: string;
  definition?: unknown;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  kubectl: string;
  recursive: boolean;
  wait: boolean;
  wait_timeout: number;
}

export type KubectlAction = "created" | "configured" | "unchanged" | "deleted" | "serverside-applied";

export interface KubectlObject {
  /** kubectl's resource reference, e.g. `deployment.apps/web`. */
  ref: string;
  action: KubectlAction;
}

export interface KubectlPlan extends Plan {
  predicted: KubectlObject[];
}

const CHANGING = new Set<KubectlAction>(["created", "configured", "deleted"]);
const ROLLOUT_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

/**
 * kubectl's per-object lines: `deployment.apps/web created`, `service/web unchanged`,
 * `deployment.apps "web" deleted`, each optionally followed by ` (server dry run)`.
 */
export function parseKubectlOutput(stdout: string): KubectlObject[] {
  const objects: KubectlObject[] = [];
  const line = /^(\S+?)(?:\/(\S+)| "([^"]+)") (created|configured|unchanged|deleted|serverside-applied)(?: \((?:server )?dry run\))?$/;
  for (const text of stdout.split("\n")) {
    const m = line.exec(text.trim());
    if (m) objects.push({ ref: `${m[1]}/${m[2] ?? m[3]}`, action: m[4] as KubectlAction });
  }
  return objects;
}

/** The manifest text for `definition`: YAML as given, or objects (one or a list) serialized as YAML documents. */
export function definitionText(definition: unknown): string {
  if (typeof definition === "string") return definition;
  const docs = Array.isArray(definition) ? definition : [definition];
  return docs.map((d) => stringify(d)).join("---\n");
}

/** `kubectl` with the connection flags every call of this task shares. */
export function kubectlCommand(args: KubectlArgs, ...words: string[]): string {
  return shellJoin([
    args.kubectl,
    ...(args.kubeconfig ? ["--kubeconfig", args.kubeconfig] : []),
    ...(args.context ? ["--context", args.context] : []),
    ...(args.namespace ? ["--namespace", args.namespace] : []),
    ...words,
  ]);
}

/** The manifest source flags: a file or directory on the target, or `-` for an inline definition on stdin. */
function sourceFlags(args: KubectlArgs): string[] {
  return ["-f", args.src ?? "-", ...(args.recursive ? ["-R"] : [])];
}

export function changeCommand(args: KubectlArgs, dryRun: boolean): string {
  const dry = dryRun ? ["--dry-run=server"] : [];
  return args.state === "present"
    ? kubectlCommand(args, "apply", ...dry, ...sourceFlags(args))
    : kubectlCommand(args, "delete", "--ignore-not-found=true", "--wait=false", ...dry, ...sourceFlags(args));
}

async function runKubectl(ctx: ModuleContext, args: KubectlArgs, command: string, what: string): Promise<string> {
  const stdin = args.definition !== undefined ? definitionText(args.definition) : undefined;
  const r = await runRemote(ctx, command, stdin);
  if (r.rc !== 0) {
    const said = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-5).join("\n");
    throw new ModuleFailure(`${what} failed (rc ${r.rc}): ${said}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr, cmd: command });
  }
  return r.stdout;
}

export function planKubectl(args: KubectlArgs, predicted: KubectlObject[]): KubectlPlan {
  const changing = predicted.filter((o) => CHANGING.has(o.action));
  const before = Object.fromEntries(changing.map((o) => [o.ref, o.action === "created" ? "absent" : "present"]));
  const after = Object.fromEntries(changing.map((o) => [o.ref, o.action === "deleted" ? "absent" : `present (${o.action})`]));
  return {
    changed: changing.length > 0,
    predicted,
    diff: [stateDiff(args.src ?? "definition", before, after)],
    result: { objects: predicted },
  };
}

/** `Deployment web kube-system` lines from `get -o custom-columns`; `<none>` is the default namespace. */
export function parseRolloutTargets(stdout: string): { kind: string; name: string; namespace?: string }[] {
  return stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([kind, name]) => kind && name && ROLLOUT_KINDS.has(kind))
    .map(([kind, name, ns]) => ({ kind, name, ...(ns && ns !== "<none>" ? { namespace: ns } : {}) }));
}

async function waitForRollouts(ctx: ModuleContext, args: KubectlArgs): Promise<string[]> {
  const columns = "custom-columns=KIND:.kind,NAME:.metadata.name,NAMESPACE:.metadata.namespace";
  const listed = await runKubectl(ctx, args, kubectlCommand(args, "get", ...sourceFlags(args), "-o", columns, "--no-headers"), "listing the applied objects");
  const waited: string[] = [];
  for (const t of parseRolloutTargets(listed)) {
    const ref = `${t.kind.toLowerCase()}/${t.name}`;
    const scoped = t.namespace ? { ...args, namespace: t.namespace } : args;
    const command = kubectlCommand(scoped, "rollout", "status", ref, `--timeout=${args.wait_timeout}s`);
    const r = await runRemote(ctx, command);
    if (r.rc !== 0) {
      throw new ModuleFailure(`${ref} did not finish rolling out within ${args.wait_timeout} s: ${(r.stderr.trim() || r.stdout.trim())}`, {
        rc: r.rc,
        stdout: r.stdout,
        stderr: r.stderr,
      });
    }
    waited.push(ref);
  }
  return waited;
}

export const kubectl = defineOperation<KubectlArgs, KubectlObject[], KubectlPlan>({
  name: "kubectl",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      state: { type: "string", enum: ["present", "absent"], default: "present" },
      src: { type: "string", minLength: 1, aliases: ["filename"] },
      // YAML text, one manifest object, or a list of them.
      definition: {},
      kubeconfig: { type: "string", minLength: 1 },
      context: { type: "string", minLength: 1 },
      namespace: { type: "string", minLength: 1 },
      kubectl: { type: "string", minLength: 1, default: "kubectl", aliases: ["bin"] },
      recursive: { type: "boolean", default: false },
      wait: { type: "boolean", default: false },
      wait_timeout: { type: "integer", minimum: 1, default: 300 },
    },
    // Not `oneOf`: its error for both given would read "one of ... is required".
    anyOf: [{ required: ["src"] }, { required: ["definition"] }],
    not: { required: ["src", "definition"] },
  },
  async probe(ctx, args) {
    const out = await runKubectl(ctx, args, changeCommand(args, true), `kubectl ${args.state === "present" ? "apply" : "delete"} (server dry run)`);
    return parseKubectlOutput(out);
  },
  plan: (args, predicted) => planKubectl(args, predicted),
  async apply(ctx, args) {
    const out = await runKubectl(ctx, args, changeCommand(args, false), `kubectl ${args.state === "present" ? "apply" : "delete"}`);
    const objects = parseKubectlOutput(out);
    const rolledOut = args.wait && args.state === "present" ? await waitForRollouts(ctx, args) : [];
    return { objects, changed: objects.some((o) => CHANGING.has(o.action)), ...(args.wait ? { rolled_out: rolledOut } : {}) };
  },
});
