// The one shape every task module follows (pyinfra's operations): probe the host for the current
// state, plan by comparing it with the wanted state (a pure function), apply only what converges.
// Check mode stops after the plan; diff mode shows the plan's before/after. A module written with
// defineOperation gets argument normalization, check mode, diff and failure reporting for free.
import { formatPosition, isKplayError } from "../../engine/errors.js";
import type { FileDiff, JsonSchema, ModuleContext, ModuleDefinition, ModuleResult } from "../types.js";
import { normalizeModuleArgs } from "../validate-args.js";

/** What the module would do, decided before anything changes. */
export interface Plan {
  /** Applying would change the host (or the control machine, for fetch). */
  changed: boolean;
  /** Before/after shown under --diff; computed from the probe, so check mode shows it too. */
  diff?: FileDiff[];
  /** Return values known from the probe alone (`stat`, `path`, `dest`...), reported in every mode. */
  result?: Record<string, unknown>;
  msg?: string;
}

export interface OperationSpec<Args, State, P extends Plan> {
  name: string;
  aliases?: string[];
  schema: JsonSchema;
  freeForm?: string;
  controllerOnly?: boolean;
  /** Reads the current state, ideally with one remote command. */
  probe(ctx: ModuleContext, args: Args): Promise<State>;
  /** Pure: compares the current state with the wanted one. */
  plan(args: Args, state: State, ctx: ModuleContext): P;
  /** Runs only when plan.changed and not in check mode; returns extra return values. Read-only modules have none. */
  apply?(ctx: ModuleContext, args: Args, plan: P, state: State): Promise<Record<string, unknown> | void>;
}

/** A module's own failure (bad state on the host, failed validation): reported as failed, not thrown. */
export class ModuleFailure extends Error {
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ModuleFailure";
    this.details = details;
  }
}

export function defineOperation<Args, State, P extends Plan>(spec: OperationSpec<Args, State, P>): ModuleDefinition<Args> {
  const definition: ModuleDefinition<Args> = {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    schema: spec.schema,
    ...(spec.freeForm ? { freeForm: spec.freeForm } : {}),
    ...(spec.controllerOnly ? { controllerOnly: true } : {}),
    async run(ctx: ModuleContext, rawArgs: Args): Promise<ModuleResult> {
      // The executor validates too; normalizing again is idempotent and keeps the module safe alone.
      const { args, errors } = normalizeModuleArgs<Args>(definition, rawArgs as Record<string, unknown>);
      if (errors.length > 0) return { changed: false, failed: true, msg: errors.map((e) => e.message).join("; ") };
      try {
        const state = await spec.probe(ctx, args);
        const plan = spec.plan(args, state, ctx);
        const shown: ModuleResult = {
          changed: plan.changed,
          ...plan.result,
          ...(plan.msg ? { msg: plan.msg } : {}),
          ...(ctx.diff && plan.changed && plan.diff?.length ? { diff: plan.diff } : {}),
        };
        if (!plan.changed || ctx.check) return shown;
        const applied = await spec.apply?.(ctx, args, plan, state);
        return { ...shown, ...(applied ?? {}) };
      } catch (e) {
        if (e instanceof ModuleFailure) return { changed: false, failed: true, msg: e.message, ...e.details };
        // A transfer that failed on a reachable host fails the task; an unreachable host is the executor's.
        // A template or expression error keeps its file:line so the operator can jump to it.
        if (isKplayError(e) && e.context.kind !== "connection") {
          const where = e.context.position ? `${formatPosition(e.context.position)}: ` : "";
          return { changed: false, failed: true, msg: `${where}${e.message}` };
        }
        throw e;
      }
    },
  };
  return definition;
}
