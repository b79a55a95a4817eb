// kplay's version, from package.json two levels up from src/engine and dist/engine alike.
import { readFileSync } from "node:fs";

export function kplayVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}
