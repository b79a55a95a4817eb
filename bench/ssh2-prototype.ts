// The engine-less prototype the speed issue measured as "the floor an engine can approach":
// raw ssh2, one connection and one long-lived `sh` per host, the floor's probes
// (floor-probes.txt) written to it one after another, each answered by a sentinel line that
// carries its exit code. No inventory, variables, modules, checks or output: what is left is
// connecting, starting a shell, and the round trips. bench/run.ts bundles it before timing it,
// so it starts like a program, as kplay does.
//
// Usage: node ssh2-prototype.mjs PROBES_FILE PRIVATE_KEY KNOWN_HOSTS ADDRESS:PORT...
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Client, type ClientChannel } from "ssh2";

const [probesFile, keyFile, knownHostsFile, ...targets] = process.argv.slice(2);
if (!probesFile || !keyFile || !knownHostsFile || targets.length === 0) {
  throw new Error("usage: ssh2-prototype PROBES_FILE PRIVATE_KEY KNOWN_HOSTS ADDRESS:PORT...");
}
const probes = readFileSync(probesFile, "utf8").split("\n").filter(Boolean);
const privateKey = readFileSync(keyFile);
// The host keys the test bed recorded: a host is accepted when it presents one of them.
const knownKeys = new Set(readFileSync(knownHostsFile, "utf8").split("\n").map((line) => line.split(/\s+/)[2]).filter(Boolean));

/** Runs the probes on one host; resolves with how many failed. */
function probeHost(target: string): Promise<number> {
  const separator = target.lastIndexOf(":");
  const [host, port] = [target.slice(0, separator), Number(target.slice(separator + 1))];
  const sentinel = `__proto_${randomBytes(8).toString("hex")}__`;
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("error", reject);
    client.on("ready", () => {
      client.exec("sh", (err: Error | undefined, shell: ClientChannel) => {
        if (err) return reject(err);
        let buffered = "";
        let next = 0;
        let failed = 0;
        const send = () => shell.write(`${probes[next]} >/dev/null 2>&1; echo "${sentinel} $?"\n`);
        shell.on("data", (chunk: Buffer) => {
          buffered += chunk.toString("utf8");
          for (let at = buffered.indexOf(sentinel); at >= 0; at = buffered.indexOf(sentinel)) {
            const end = buffered.indexOf("\n", at);
            if (end < 0) return;
            if (buffered.slice(at + sentinel.length, end).trim() !== "0") failed++;
            buffered = buffered.slice(end + 1);
            if (++next === probes.length) {
              client.end();
              return resolve(failed);
            }
            send();
          }
        });
        send();
      });
    });
    client.connect({
      host,
      port,
      username: "root",
      privateKey,
      hostVerifier: (key: Buffer) => knownKeys.has(key.toString("base64")),
    });
    client.setNoDelay(true);
  });
}

const failures = await Promise.all(targets.map(probeHost));
const failedHosts = failures.filter((n) => n > 0).length;
process.stdout.write(`ssh2 prototype: ${probes.length} round trips per host on ${targets.length} hosts, ${failedHosts} with a failed probe\n`);
process.exitCode = failedHosts > 0 ? 1 : 0;
