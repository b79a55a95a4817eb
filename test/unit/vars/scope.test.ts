import { describe, expect, it } from "vitest";
import { evaluate, renderString } from "../../../src/engine/expr/index.js";
import { OMIT, VariableScope, isOmit, unsafeLayer } from "../../../src/engine/vars/index.js";
import { errorOf } from "../error-of.js";
import { hostvarsOver } from "../hostvars-over.js";

/** A layer whose reads are counted, to prove laziness and caching. */
function counted(values: Record<string, unknown>): { layer: Record<string, unknown>; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const layer: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    Object.defineProperty(layer, k, {
      enumerable: true,
      get: () => {
        reads.set(k, (reads.get(k) ?? 0) + 1);
        return v;
      },
    });
  }
  return { layer, reads };
}

describe("layers and precedence", () => {
  it("a higher layer wins; dicts replace, not merge", () => {
    const scope = VariableScope.fromLayers([
      { a: "defaults", d: { x: 1, y: 2 } },
      { a: "group" },
      { d: { x: 3 } },
    ]);
    expect(scope.get("a")).toBe("group");
    expect(scope.get("d")).toEqual({ x: 3 });
    expect(scope.get("nope")).toBeUndefined();
    expect(scope.has("a")).toBe(true);
    expect(scope.has("nope")).toBe(false);
    expect(scope.keys().sort()).toEqual(["a", "d"]);
    expect(scope.raw("a")).toBe("group");
  });

  it("renders lazily against the whole scope, so a role default follows an override", () => {
    const scope = VariableScope.fromLayers([
      { kube_base_dir: "/etc/kubernetes", kube_config_dir: "{{ kube_base_dir }}/conf" },
      { kube_base_dir: "/opt/k8s" },
    ]);
    expect(scope.get("kube_config_dir")).toBe("/opt/k8s/conf");
  });

  it("keeps types through a single expression", () => {
    const scope = VariableScope.fromLayers([{ nodes: ["a", "b"], first: "{{ nodes[0] }}", count: "{{ nodes | length }}" }]);
    expect(scope.get("count")).toBe(2);
    expect(scope.get("first")).toBe("a");
  });

  it("renders nested values and values referring to values", () => {
    const scope = VariableScope.fromLayers([
      { port: 6443, host: "lb", endpoint: "https://{{ host }}:{{ port }}", cfg: { server: "{{ endpoint }}", list: ["{{ port + 1 }}"] } },
    ]);
    expect(scope.get("cfg")).toEqual({ server: "https://lb:6443", list: [6444] });
  });

  it("only reads what it needs, once per scope", () => {
    const { layer, reads } = counted({ a: "{{ b }}!", b: "B", unused: "{{ missing }}" });
    const scope = VariableScope.fromLayers([layer]);
    expect(scope.get("a")).toBe("B!");
    expect(scope.get("a")).toBe("B!");
    expect(evaluate("a ~ b", scope)).toBe("B!B");
    expect(reads.get("unused")).toBeUndefined();
    expect(reads.get("a")).toBe(1);
    expect(reads.get("b")).toBe(1);
  });
});

describe("child scopes", () => {
  it("see their own layers first and reuse the parent's cached values they do not affect", () => {
    const { layer, reads } = counted({ base: "/etc", conf: "{{ base }}/conf", msg: "{{ item | default('none') }}" });
    const host = VariableScope.fromLayers([layer]);
    expect(host.get("conf")).toBe("/etc/conf");
    const items = [1, 2, 3].map((i) => host.with({ item: i }));
    expect(items.map((s) => s.get("conf"))).toEqual(["/etc/conf", "/etc/conf", "/etc/conf"]);
    expect(items.map((s) => s.get("msg"))).toEqual([1, 2, 3]);
    expect(host.get("msg")).toBe("none");
    // conf was rendered once (in the host scope) and reused by every item scope.
    expect(reads.get("conf")).toBe(1);
  });

  it("re-render a parent's value when they override something it depends on, even transitively", () => {
    const host = VariableScope.fromLayers([{ dir: "/etc", conf: "{{ dir }}/conf", file: "{{ conf }}/x.yml" }]);
    expect(host.get("file")).toBe("/etc/conf/x.yml");
    const task = host.with({ dir: "/opt" });
    expect(task.get("file")).toBe("/opt/conf/x.yml");
    expect(host.get("file")).toBe("/etc/conf/x.yml");
    const item = task.with({ other: 1 });
    expect(item.get("file")).toBe("/opt/conf/x.yml");
  });

  it("a value that failed in the parent for lack of `item` works in the item scope", () => {
    const host = VariableScope.fromLayers([{ pkg: "{{ item.name }}-{{ version }}", version: "1.0" }]);
    expect(() => host.get("pkg")).toThrow("'item.name' is undefined");
    expect(host.with({ item: { name: "etcd" } }).get("pkg")).toBe("etcd-1.0");
  });

  it("a variable defined later in a child changes values that found it missing", () => {
    const host = VariableScope.fromLayers([{ greeting: "{{ name | default('world') }}" }]);
    expect(host.get("greeting")).toBe("world");
    expect(host.with({ name: "kplay" }).get("greeting")).toBe("kplay");
  });

  it("are cheap: a thousand item scopes over a large host scope", () => {
    const layer: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) layer[`v${i}`] = `{{ v${Math.max(0, i - 1)} }}`;
    layer.v0 = "root";
    const host = VariableScope.fromLayers([layer, { extra: 1 }]);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(host.with({ item: i }).get("v150")).toBe("root");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("derived scopes (layers inserted mid-precedence)", () => {
  it("reuse the base's values the added layers cannot change", () => {
    const { layer: defaults, reads } = counted({ base: "/etc", conf: "{{ base }}/conf", port: "{{ 6443 }}" });
    const extra = { user: "root" };
    const host = VariableScope.fromLayers([defaults, extra]);
    expect(host.get("conf")).toBe("/etc/conf");
    const task = host.derive([defaults, { task_only: 1 }, extra]);
    expect(task.get("conf")).toBe("/etc/conf");
    expect(task.get("task_only")).toBe(1);
    expect(task.get("user")).toBe("root");
    expect(reads.get("conf")).toBe(1);
  });

  it("re-render what the added layers affect, keeping precedence", () => {
    const defaults = { base: "/etc", conf: "{{ base }}/conf", other: "{{ base }}" };
    const extra = { other: "extra wins" };
    const host = VariableScope.fromLayers([defaults, extra]);
    expect(host.get("conf")).toBe("/etc/conf");
    const task = host.derive([defaults, { base: "/opt", other: "task" }, extra]);
    expect(task.get("conf")).toBe("/opt/conf");
    expect(task.get("other")).toBe("extra wins");
    expect(host.get("conf")).toBe("/etc/conf");
  });

  it("count a base layer given again, higher up, as added there (a role's defaults above every role's)", () => {
    const ownRole = { d: "own role", x: "{{ d }}" };
    const otherRole = { d: "other role" };
    const host = VariableScope.fromLayers([ownRole, otherRole]);
    expect(host.get("x")).toBe("other role");
    const task = host.derive([ownRole, otherRole, ownRole]);
    expect(task.get("d")).toBe("own role");
    expect(task.get("x")).toBe("own role");
  });

  it("are independent (and still right) when the layers do not contain the base's", () => {
    const host = VariableScope.fromLayers([{ a: "{{ b }}", b: 1 }]);
    expect(host.get("a")).toBe(1);
    expect(host.derive([{ a: "{{ b }}", b: 2 }]).get("a")).toBe(2);
    const reordered = [{ b: 3 }, { b: 4 }];
    const base = VariableScope.fromLayers(reordered);
    expect(base.derive([reordered[1], reordered[0]]).get("b")).toBe(3);
  });
});

describe("unsafe layers (data from hosts)", () => {
  it("are never rendered, wherever they sit", () => {
    const result = { stdout: "{{ lookup('env', 'HOME') }}", rc: 0 };
    const facts = unsafeLayer({ ansible_hostname: "{{ injected }}" });
    const host = VariableScope.fromLayers([{ a: 1 }, facts]);
    expect(host.get("ansible_hostname")).toBe("{{ injected }}");
    const task = host.with(unsafeLayer({ result }));
    expect(task.get("result")).toEqual(result);
    expect(renderString("{{ result.stdout }}", task)).toBe("{{ lookup('env', 'HOME') }}");
    expect(host.derive([{ a: 1 }, facts, unsafeLayer({ r: "{{ a }}" })]).get("r")).toBe("{{ a }}");
  });

  it("while the same text in an ordinary layer is a template", () => {
    expect(VariableScope.fromLayers([{ a: 1, r: "{{ a }}" }]).get("r")).toBe(1);
  });
});

describe("errors", () => {
  it("a cycle names the chain", () => {
    const scope = VariableScope.fromLayers([{ a: "{{ b }}", b: "{{ a }}" }]);
    const err = errorOf(() => scope.get("a"));
    expect(err.context.kind).toBe("variable");
    expect(err.message).toBe("recursive loop detected in variable 'a': a -> b -> a");
  });

  it("a longer cycle through a child scope still ends with an error", () => {
    const host = VariableScope.fromLayers([{ a: "{{ b }}", b: "{{ c }}", c: "x" }]);
    const err = errorOf(() => host.with({ c: "{{ a }}" }).get("a"));
    expect(err.message).toMatch(/^recursive loop detected in variable '[abc]': /);
  });

  it("a self reference through a lower layer is a cycle, as in Ansible", () => {
    const scope = VariableScope.fromLayers([{ opts: ["a"] }, { opts: "{{ opts + ['b'] }}" }]);
    expect(errorOf(() => scope.get("opts")).message).toBe("recursive loop detected in variable 'opts': opts -> opts");
  });

  it("an undefined variable inside a value says which value", () => {
    const scope = VariableScope.fromLayers([{ conf: "{{ kube_base_dir }}/conf", file: "{{ conf }}/x" }]);
    const err = errorOf(() => scope.get("file"));
    expect(err.message).toBe("'kube_base_dir' is undefined");
    expect(err.context.hint).toBe("while resolving 'conf' <- 'file'");
  });

  it("cycles across hosts through hostvars end in an error, not a stack overflow", () => {
    const scopes = new Map<string, VariableScope>();
    const hostvars = hostvarsOver(scopes);
    scopes.set("n1", VariableScope.fromLayers([{ hostvars, ip: "{{ hostvars['n2'].ip }}" }], { label: "n1" }));
    scopes.set("n2", VariableScope.fromLayers([{ hostvars, ip: "{{ hostvars['n1'].ip }}" }], { label: "n2" }));
    const err = errorOf(() => scopes.get("n1")!.get("ip"));
    expect(err.message).toBe("recursive loop detected in variable 'ip': ip -> n2:ip -> ip");
  });
});

describe("as a LazyMapping", () => {
  it("hostvars can hand out other hosts' scopes, resolved on access", () => {
    const scopes = new Map<string, VariableScope>();
    const hostvars = hostvarsOver(scopes);
    const magic = { hostvars, groups: { etcd: ["n1", "n2"] } };
    scopes.set("n1", VariableScope.fromLayers([{ ip: "10.0.0.1", peer: "{{ ip }}:2380" }, magic]));
    scopes.set("n2", VariableScope.fromLayers([{ ip: "10.0.0.2", peer: "{{ ip }}:2380" }, magic]));
    const n1 = scopes.get("n1")!;
    expect(n1.render("{{ groups['etcd'] | map('extract', hostvars, 'peer') | join(',') }}")).toBe("10.0.0.1:2380,10.0.0.2:2380");
    expect(renderString("{{ hostvars['n2'].peer }}", n1)).toBe("10.0.0.2:2380");
    expect(() => renderString("{{ hostvars['n3'].ip }}", n1)).toThrow("'hostvars['n3'].ip' is undefined");
  });

  it("toObject resolves each property on first access", () => {
    const { layer, reads } = counted({ a: "{{ b }}", b: 1, c: "{{ missing }}" });
    const scope = VariableScope.fromLayers([layer]);
    const obj = scope.toObject();
    expect(scope.toObject()).toBe(obj);
    expect(Object.keys(obj).sort()).toEqual(["a", "b", "c"]);
    expect(obj.a).toBe(1);
    expect(reads.get("c")).toBeUndefined();
    expect(() => obj.c).toThrow("'missing' is undefined");
  });

  it("renders task arguments, keeping omit for the executor", () => {
    const scope = VariableScope.fromLayers([{ dir: "/etc" }]).with({ item: "a.conf" });
    const args = scope.render({ dest: "{{ dir }}/{{ item }}", mode: "{{ mode | default(omit) }}" }) as Record<string, unknown>;
    expect(args.dest).toBe("/etc/a.conf");
    expect(args.mode).toBe(OMIT);
    expect(isOmit(args.mode)).toBe(true);
  });
});
