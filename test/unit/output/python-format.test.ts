import { expect, test } from "vitest";
import { pythonJson, pythonStr } from "../../../src/engine/output/python-format.js";

test("pythonJson matches json.dumps(sort_keys=True): sorted keys, ', ' and ': ' separators", () => {
  expect(pythonJson({ b: 1, a: [true, null, "x"], c: {} })).toBe('{"a": [true, null, "x"], "b": 1, "c": {}}');
  expect(pythonJson({ msg: "héllo" })).toBe('{"msg": "héllo"}');
});

test("pythonJson with indent matches json.dumps(indent=4)", () => {
  expect(pythonJson({ msg: ["a", { k: 1 }] }, 4)).toBe('{\n    "msg": [\n        "a",\n        {\n            "k": 1\n        }\n    ]\n}');
});

test("pythonStr spells items as Python's str() does", () => {
  expect(pythonStr("plain")).toBe("plain");
  expect(pythonStr(3)).toBe("3");
  expect(pythonStr({ key: "a", value: true })).toBe("{'key': 'a', 'value': True}");
  expect(pythonStr(["it's", null])).toBe(`["it's", None]`);
});
