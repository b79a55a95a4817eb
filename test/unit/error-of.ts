// Shared by the unit tests: runs a function that must fail with a KplayError and returns it.
import { expect } from "vitest";
import { KplayError } from "../../src/engine/errors.js";

export function errorOf(fn: () => unknown): KplayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KplayError);
    return e as KplayError;
  }
  throw new Error("expected an error");
}
