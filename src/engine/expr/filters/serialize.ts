// JSON and YAML in and out. to_json matches Python's json.dumps spacing (`{"a": [1, 2]}`) so
// rendered files look the same as Ansible's.
import YAML from "yaml";
import { exprError } from "../errors.js";
import { param, type FilterTable } from "../plugin-types.js";
import { isMapping, isOmit, isUndefined, mappingGet, mappingKeys, pyStr, setOwn } from "../values.js";

/** Turns lazy mappings into plain objects and refuses values JSON cannot hold. */
function toData(v: unknown): unknown {
  if (isUndefined(v)) throw v.toError();
  if (isOmit(v)) throw exprError("cannot serialize `omit`");
  if (Array.isArray(v)) return v.map(toData);
  if (isMapping(v)) {
    const out: Record<string, unknown> = {};
    for (const k of mappingKeys(v)) setOwn(out, k, toData(mappingGet(v, k)));
    return out;
  }
  if (typeof v === "number" && !Number.isFinite(v)) throw exprError(`cannot serialize ${pyStr(v)} as JSON`);
  return v;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** json.dumps(v) with Python's default separators. */
function compactJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(compactJson).join(", ")}]`;
  if (v && typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${compactJson(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}

/**
 * YAML laid out close to PyYAML's output for Ansible: keys sorted, and (to_yaml only) collections
 * holding only scalars in flow style: `x: [1, 2]`.
 */
function pyYaml(data: unknown, indent: number, flowLeaves: boolean): string {
  const doc = new YAML.Document(data, { sortMapEntries: true });
  if (flowLeaves) {
    const leaf = (_: unknown, node: YAML.YAMLMap | YAML.YAMLSeq): void => {
      node.flow = node.items.every((item) => {
        const value = YAML.isPair(item) ? item.value : item;
        return !YAML.isCollection(value);
      });
    };
    YAML.visit(doc, { Map: leaf, Seq: leaf });
  }
  return doc.toString({ indent, indentSeq: false, lineWidth: 0, flowCollectionPadding: false });
}

function parseError(kind: string, e: unknown): Error {
  return exprError(`from_${kind}: the input is not valid ${kind.toUpperCase()}: ${(e as Error).message.split("\n")[0]}`);
}

export const serializeFilters: FilterTable = {
  to_json: (input, _args, kwargs) => {
    const data = toData(input);
    return compactJson(kwargs.sort_keys ? sortKeys(data) : data);
  },
  to_nice_json: (input, args, kwargs) =>
    JSON.stringify(sortKeys(toData(input)), null, Number(param(args, kwargs, 0, "indent", 4))),
  to_yaml: (input, args, kwargs) => pyYaml(toData(input), Number(param(args, kwargs, 0, "indent", 2)), true),
  to_nice_yaml: (input, args, kwargs) => pyYaml(toData(input), Number(param(args, kwargs, 0, "indent", 4)), false),
  from_json: (input) => {
    try {
      return JSON.parse(pyStr(input));
    } catch (e) {
      throw parseError("json", e);
    }
  },
  from_yaml: (input) => {
    try {
      return YAML.parse(pyStr(input)) ?? null;
    } catch (e) {
      throw parseError("yaml", e);
    }
  },
  from_yaml_all: (input) => {
    try {
      return YAML.parseAllDocuments(pyStr(input)).map((d) => {
        if (d.errors.length) throw d.errors[0];
        return d.toJS() ?? null;
      });
    } catch (e) {
      throw parseError("yaml", e);
    }
  },
};
