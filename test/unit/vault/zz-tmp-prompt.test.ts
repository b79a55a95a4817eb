import { it, expect } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
it("piped", async () => {
  const d = mkdtempSync("/tmp/vt/p-");
  writeFileSync(join(d, "inv.ini"), "local ansible_connection=local\n");
  writeFileSync(join(d, "pb.yml"), "- hosts: all\n  gather_facts: false\n  tasks: [{debug: {msg: hi}}]\n");
  const r = await runCli(["-i", join(d, "inv.ini"), "--ask-vault-pass", "-k", join(d, "pb.yml")], "vaultpw\nsshpw\n");
  console.log(JSON.stringify(r.stderr), r.code, r.request?.connection.password);
});
