// Play names and host patterns may use variables (`hosts: "{{ node | default('all') }}"`, as
// Kubespray's remove-node.yml does). As ansible-playbook does, they are templated once with the
// play's vars and the extra vars, before anything is listed or run.
import { isKplayError, type ErrorContext } from "../engine/errors.js";
import { renderValue } from "../engine/expr/render.js";
import { isTemplated } from "../engine/playbook/module-args.js";
import type { Playbook } from "../engine/playbook/model.js";

export function templatePlayHeaders(playbooks: Playbook[], extraVars: Record<string, unknown>): ErrorContext[] {
  const errors: ErrorContext[] = [];
  for (const play of playbooks.flatMap((p) => p.plays)) {
    const vars = { ...play.vars, ...extraVars };
    const render = (text: string, keyword: string): unknown => {
      try {
        return renderValue(text, vars, { position: play.positions?.[keyword] ?? play.position });
      } catch (e) {
        if (!isKplayError(e)) throw e;
        errors.push(e.context);
        return text;
      }
    };
    if (isTemplated(play.hostsWritten)) {
      const named = play.name === play.hostsWritten.join(",");
      play.hostsWritten = play.hostsWritten.flatMap((h) => {
        const rendered = render(h, "hosts");
        return Array.isArray(rendered) ? rendered.map(String) : [String(rendered)];
      });
      play.hosts = play.hostsWritten.join(",");
      if (named) play.name = play.hosts;
    }
    if (isTemplated(play.name)) play.name = String(render(play.name, "name"));
  }
  return errors;
}
