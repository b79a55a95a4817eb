// Directory listings in the order Ansible reads them: Python's sorted(os.listdir()), by bytes.

import { readdirSync } from "node:fs";

export function sortedDirEntries(dir: string): string[] {
  return readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
