// Runs snippets of real Python with Ansible's own modules (Debian's ansible-core) to compare the
// helpers kplay ports from it: ast.literal_eval, shlex.split, parse_address, host ranges.
import { execFileSync } from "node:child_process";

const PRELUDE = `
import ast, json, shlex, sys
from ansible.parsing.utils.addresses import parse_address
from ansible.plugins.inventory import expand_hostname_range

def plain(v):
    """What Ansible's INI plugin keeps (to_text turns bytes to text), in JSON terms."""
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, (tuple, set, list)):
        return [plain(i) for i in v]
    if isinstance(v, dict):
        return {k: plain(i) for k, i in v.items()}
    return v
`;

/** Applies a Python expression over `x` to each input; returns {value} or {error: exception name}. */
export function pythonMap(expression: string, inputs: string[]): ({ value: unknown } | { error: string })[] {
  const program = `${PRELUDE}
out = []
for x in json.load(sys.stdin):
    try:
        out.append(json.loads(json.dumps({"value": ${expression}})))
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;
  const stdout = execFileSync("/usr/bin/python3", ["-c", program], { input: JSON.stringify(inputs), encoding: "utf8" });
  return JSON.parse(stdout) as ({ value: unknown } | { error: string })[];
}
