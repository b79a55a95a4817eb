import { describe, expect, it } from "vitest";
import { selectByTags } from "../../../src/engine/playbook/tags.js";

// Expected values follow Ansible's Taggable.evaluate_tags; test/unit/cli/list-vs-ansible.test.ts
// checks the same selection against ansible-playbook itself.
const item = (...tags: string[]) => ({ tags });

describe("selectByTags", () => {
  const cases: Array<[string[], string[], string[], boolean]> = [
    // tags of the item, --tags, --skip-tags, runs?
    [[], [], [], true],
    [["a"], [], [], true],
    [["never"], [], [], false],
    [["never", "debug"], ["debug"], [], true],
    [["never", "debug"], ["all"], [], false],
    [["always"], ["other"], [], true],
    [["always"], [], ["always"], false],
    [["always"], [], ["all"], true],
    [["always", "a"], [], ["a"], false],
    [["a"], ["b"], [], false],
    [["a", "b"], ["b"], [], true],
    [[], ["untagged"], [], true],
    [["a"], ["untagged"], [], false],
    [["a"], ["tagged"], [], true],
    [[], ["tagged"], [], false],
    [["never", "x"], ["tagged"], [], false],
    [["a"], [], ["tagged"], false],
    [[], [], ["tagged"], true],
    [[], [], ["untagged"], false],
    [["a"], [], ["all"], false],
    [["a"], ["a"], ["a"], false],
  ];
  it.each(cases)("tags %j with --tags %j --skip-tags %j → %s", (tags, only, skip, expected) => {
    expect(selectByTags(item(...tags), only, skip)).toBe(expected);
  });
});
