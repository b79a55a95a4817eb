import { expect, test } from "vitest";
import { pythonJson } from "../../../src/engine/output/python-format.js";

test("pythonJson matches json.dumps(sort_keys=True): sorted keys, ', ' and ': ' separators", () => {
  expect(pythonJson({ b: 1, a: [true, null, "x"], c: {} })).toBe('{"a": [true, null, "x"], "b": 1, "c": {}}');
  expect(pythonJson({ msg: "héllo" })).toBe('{"msg": "héllo"}');
});

test("pythonJson with indent matches json.dumps(indent=4)", () => {
  expect(pythonJson({ msg: ["a", { k: 1 }] }, 4)).toBe('{\n    "msg": [\n        "a",\n        {\n            "k": 1\n        }\n    ]\n}');
});
