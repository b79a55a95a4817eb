// Whatever bytes a user points -i at, the loader answers with errors or an inventory, never a crash.
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { tempTree } from "./temp-inventory.js";

const dir = tempTree({});
const INVENTORY_CHARS = ["[", "]", ":", "=", " ", "\n", "'", '"', "\\", "#", ";", "-", "{", "}", ",", "a", "1", "0", "*", "&", "!", "\t", "é", "\u0000"];

describe("loading garbage", () => {
  for (const name of ["hosts", "hosts.ini", "hosts.yml"]) {
    it(`never throws on random ${name}`, () => {
      const file = join(dir, name);
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...INVENTORY_CHARS), maxLength: 80 }), (text) => {
          writeFileSync(file, text);
          const result = loadInventory([file]);
          expect(result.errors.every((e) => e instanceof KplayError && e.context.position !== undefined)).toBe(true);
          if (result.errors.length === 0) result.inventory.hostNames.forEach((h) => result.inventory.hostVars(h));
        }),
        { numRuns: 300, seed: 11 },
      );
    });
  }
});
