// Shared by the unit tests: runs a function that must fail with a KplayError (or the given error
// class) and returns the error.
import { expect } from "vitest";
import { KplayError } from "../../src/engine/errors.js";

export function errorOf(fn: () => unknown): KplayError;
export function errorOf<E extends Error>(fn: () => unknown, type: new (...args: never[]) => E): E;
export function errorOf(fn: () => unknown, type: new (...args: never[]) => Error = KplayError): Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as Error;
  }
  throw new Error(`expected a ${type.name}`);
}
