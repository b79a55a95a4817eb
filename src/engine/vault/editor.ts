// `kplay vault edit|create`: the plaintext goes to the user's $EDITOR through a 0600 file inside
// a private 0700 directory, which is removed as soon as the editor exits, whatever happened.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { split } from "shlex";

function runEditor(command: string[], file: string): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn(command[0], [...command.slice(1), file], { stdio: "inherit" });
    child.on("error", (e) => failed(new Error(`cannot run the editor "${command.join(" ")}": ${e.message}`)));
    child.on("close", (code) =>
      code === 0 ? done() : failed(new Error(`the editor "${command.join(" ")}" exited with code ${code}: nothing was saved`)),
    );
  });
}

/**
 * Lets the user edit `initial`; resolves to the text they saved. `nameLike` gives the temp file
 * the same extension, so editors pick the right syntax.
 */
export async function editText(initial: Buffer, nameLike: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const command = split(env.EDITOR || "vi");
  if (command.length === 0) throw new Error("$EDITOR is empty: set it to the editor to use");
  // mkdtemp creates the directory 0700: no other user can even look up the file's name.
  const dir = await mkdtemp(join(tmpdir(), "kplay-vault-"));
  try {
    const file = join(dir, `plaintext${extname(nameLike)}`);
    await writeFile(file, initial, { mode: 0o600, flag: "wx" });
    await runEditor(command, file);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
