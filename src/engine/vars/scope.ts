// Layered variables resolved lazily: a value is rendered when it is READ, against the scope that
// reads it, so `kube_config_dir: "{{ kube_base_dir }}/conf"` in role defaults follows an override
// of kube_base_dir in any higher layer. Results are cached per scope together with the names they
// depended on; a child scope (`scope.with({ item })`) reuses its parent's cached value unless it
// overrides one of those names, so per-host, per-task and per-item scopes cost almost nothing.
import { KplayError } from "../errors.js";
import { isTemplated, renderValue } from "../expr/render.js";
import type { EvalOptions } from "../expr/options.js";
import type { LazyMapping } from "../expr/values.js";

/** One layer of variables as written (values may hold "{{ }}"). Treated as immutable once given. */
export type VarLayer = Readonly<Record<string, unknown>>;

export interface ScopeOptions {
  /** Shown in cycle errors when variables of several scopes are involved (e.g. the host name). */
  label?: string;
  /** Passed to every evaluation (e.g. searchPaths for lookup('file')). */
  evalOptions?: EvalOptions;
}

interface Entry {
  value?: unknown;
  error?: unknown;
  /** Every variable name read while rendering (transitively); null for values without templates. */
  deps: ReadonlySet<string> | null;
}

/** Layers whose values are data, never templates: facts and registered results come from hosts. */
const unsafeLayers = new WeakSet<VarLayer>();

/**
 * Marks a layer as data that must never be rendered (Ansible's "unsafe"): a registered result or
 * a gathered fact holding "{{ ... }}" is text from a host, not an expression to run on the
 * controller. Returns the same object.
 */
export function unsafeLayer<T extends VarLayer>(layer: T): T {
  unsafeLayers.add(layer);
  return layer;
}

/** Bounds chains of variables referring to variables (including across hosts via hostvars). */
const MAX_RESOLUTION_DEPTH = 200;

/** Variables being resolved right now, innermost last, across all scopes (evaluation is synchronous). */
const resolving: Array<{ scope: VariableScope; name: string }> = [];

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A scope this one was derived from, and the names the layers it added define. */
interface Base {
  scope: VariableScope;
  addedKeys: ReadonlySet<string>;
}

export class VariableScope implements LazyMapping {
  readonly lazyMapping = true as const;
  private readonly cache = new Map<string, Entry | null>();
  private base?: Base;
  /** Dependency sets of values being rendered in this scope, innermost last. */
  private readonly frames: Array<Set<string>> = [];
  private ownKeyList?: string[];
  private allKeys?: string[];
  private objectView?: Readonly<Record<string, unknown>>;

  private constructor(
    private readonly parent: VariableScope | undefined,
    /** Lowest precedence first. */
    private readonly layers: readonly VarLayer[],
    private readonly options: ScopeOptions,
  ) {}

  /** A scope over layers given lowest precedence first (role defaults ... extra vars). */
  static fromLayers(layers: readonly VarLayer[], options: ScopeOptions = {}): VariableScope {
    return new VariableScope(undefined, layers, options);
  }

  /** A child scope whose layers (lowest first) sit above this scope's: task vars, loop item. */
  with(...layers: VarLayer[]): VariableScope {
    return new VariableScope(this, layers, this.options);
  }

  /**
   * A scope over `layers` (the full list, lowest first) that reuses this scope's cached values
   * wherever the layers it adds cannot change them. For layers inserted in the middle of the
   * precedence order (task vars sit below set_fact and extra vars), where `with` cannot help:
   *   const host = VariableScope.fromLayers(hostLayers);          // kept per host
   *   const task = host.derive([...low, task.vars, ...high]);    // per task, cheap
   * Reuse needs this scope's layers in `layers`, same objects in the same order; otherwise the
   * result is simply an independent scope. A layer of this scope given a second time, higher up
   * (a role's defaults above every role's), counts as added there.
   */
  derive(layers: readonly VarLayer[], options: ScopeOptions = this.options): VariableScope {
    const derived = new VariableScope(undefined, layers, options);
    if (this.parent) return derived;
    const addedKeys = new Set<string>();
    let matched = 0;
    for (const layer of layers) {
      if (matched < this.layers.length && layer === this.layers[matched]) matched++;
      else for (const k in layer) if (hasOwn(layer, k)) addedKeys.add(k);
    }
    if (matched === this.layers.length) derived.base = { scope: this, addedKeys };
    return derived;
  }

  /** The resolved value, or JS undefined when no layer defines the name. Throws on render errors. */
  get(name: string): unknown {
    const frame = this.frames[this.frames.length - 1];
    frame?.add(name);
    const entry = this.entry(name);
    if (!entry) return undefined;
    if (frame && entry.deps) for (const d of entry.deps) frame.add(d);
    if (entry.error !== undefined) throw entry.error;
    return entry.value;
  }

  has(name: string): boolean {
    return this.ownLayerWith(name) !== undefined || (this.parent?.has(name) ?? false);
  }

  keys(): string[] {
    if (!this.allKeys) {
      const keys = new Set(this.parent?.keys());
      for (const k of this.ownKeys()) keys.add(k);
      this.allKeys = [...keys];
    }
    return this.allKeys;
  }

  /** The value as written in the highest layer that has it, before rendering. */
  raw(name: string): unknown {
    const layer = this.ownLayerWith(name);
    if (layer) return layer[name];
    return this.parent?.raw(name);
  }

  /** Renders a value (task args, a loop expression) against this scope. */
  render(value: unknown, options?: EvalOptions): unknown {
    return renderValue(value, this, options ?? this.options.evalOptions);
  }

  /**
   * Every variable as an object whose properties resolve on first access (no Proxy), for code that
   * wants a plain record (module contexts). Enumerating it resolves everything. Built once per
   * scope and frozen, since a scope never changes.
   */
  toObject(): Record<string, unknown> {
    if (!this.objectView) {
      const out: Record<string, unknown> = {};
      for (const key of this.keys()) {
        Object.defineProperty(out, key, { enumerable: true, get: () => this.get(key) });
      }
      this.objectView = Object.freeze(out);
    }
    return this.objectView;
  }

  private ownKeys(): string[] {
    if (!this.ownKeyList) {
      const keys = new Set<string>();
      for (const layer of this.layers) for (const k of Object.keys(layer)) keys.add(k);
      this.ownKeyList = [...keys];
    }
    return this.ownKeyList;
  }

  private ownLayerWith(name: string): VarLayer | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) if (hasOwn(this.layers[i], name)) return this.layers[i];
    return undefined;
  }

  private entry(name: string): Entry | null {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    let entry: Entry | null;
    const base = this.base;
    if (base && !base.addedKeys.has(name)) {
      // Not redefined by the added layers: the base's value holds unless it used a name they define.
      const inherited = base.scope.entry(name);
      entry = inherited?.deps && intersects(inherited.deps, base.addedKeys) ? this.computeFrom(name, this.ownLayerWith(name)) : inherited;
    } else {
      const layer = this.ownLayerWith(name);
      if (layer) entry = this.computeFrom(name, layer);
      else if (!this.parent) entry = null;
      else {
        const inherited = this.parent.entry(name);
        // Re-render here only when this scope overrides something the parent's value was built from.
        entry = inherited?.deps && this.ownKeys().some((k) => inherited.deps!.has(k))
          ? this.parent.recompute(name, this)
          : inherited;
      }
    }
    this.cache.set(name, entry);
    return entry;
  }

  /** Renders the raw value of `name` as found from this scope down, against `reader`. */
  private recompute(name: string, reader: VariableScope): Entry | null {
    const layer = this.ownLayerWith(name);
    if (layer) return reader.computeFrom(name, layer);
    return this.parent ? this.parent.recompute(name, reader) : null;
  }

  private computeFrom(name: string, layer: VarLayer | undefined): Entry {
    const raw = layer?.[name];
    return layer && unsafeLayers.has(layer) ? { value: raw, deps: null } : this.compute(name, raw);
  }

  private compute(name: string, raw: unknown): Entry {
    if (!isTemplated(raw)) return { value: raw, deps: null };
    const first = resolving.findIndex((r) => r.scope === this && r.name === name);
    if (first >= 0) throw this.cycleError(name, first);
    if (resolving.length >= MAX_RESOLUTION_DEPTH) {
      throw new KplayError({ kind: "variable", message: `variables nest deeper than ${MAX_RESOLUTION_DEPTH} levels while resolving '${name}'` });
    }
    const deps = new Set<string>();
    resolving.push({ scope: this, name });
    this.frames.push(deps);
    try {
      return { value: renderValue(raw, this, this.options.evalOptions), deps };
    } catch (e) {
      return { error: withResolutionHint(e, name), deps };
    } finally {
      this.frames.pop();
      resolving.pop();
    }
  }

  private cycleError(name: string, first: number): KplayError {
    const label = (r: { scope: VariableScope; name: string }): string =>
      r.scope !== this && r.scope.options.label ? `${r.scope.options.label}:${r.name}` : r.name;
    const chain = [...resolving.slice(first).map(label), name].join(" -> ");
    return new KplayError({
      kind: "variable",
      message: `recursive loop detected in variable '${name}': ${chain}`,
      hint: "a variable cannot be defined in terms of itself; rename one of them",
    });
  }
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return true;
  return false;
}

/** Says which variable's value failed: "while resolving 'kube_config_dir'". */
function withResolutionHint(e: unknown, name: string): unknown {
  if (!(e instanceof KplayError) || e.message.startsWith("recursive loop")) return e;
  const ctx = e.context;
  const hint = ctx.hint?.startsWith("while resolving ")
    ? `${ctx.hint} <- '${name}'`
    : [ctx.hint, `while resolving '${name}'`].filter(Boolean).join("; ");
  return new KplayError({ ...ctx, hint });
}
