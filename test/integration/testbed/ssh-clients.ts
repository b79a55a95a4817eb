import { execFile } from "node:child_process";
import { Client } from "ssh2";
import type { ExecResult, TestHost, TestHosts } from "../../support/hosts.js";

/** Runs `command` on `host` with the OpenSSH client, trusting only the bed's known_hosts. */
// Generous defaults: the shared 2-core machines are often under heavy load.
export function opensshRun(bed: TestHosts, host: TestHost, command: string, connectTimeoutS = 30): Promise<ExecResult> {
  const args = [
    "-F", "/dev/null",
    "-i", bed.privateKeyPath,
    "-p", String(host.port),
    "-o", `UserKnownHostsFile=${bed.knownHostsPath}`,
    "-o", "StrictHostKeyChecking=yes",
    "-o", "BatchMode=yes",
    "-o", "IdentitiesOnly=yes",
    "-o", `ConnectTimeout=${connectTimeoutS}`,
    `root@${host.address}`,
    command,
  ];
  return new Promise((resolve) => {
    execFile("ssh", args, (error, stdout, stderr) => {
      resolve({ rc: error ? Number(error.code ?? 255) : 0, stdout, stderr });
    });
  });
}

/** Logs in with a password (OpenSSH's client cannot take one non-interactively) and runs `command`. */
export function passwordRun(host: TestHost, user: string, password: string, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on("ready", () => {
        client.exec(command, (error, channel) => {
          if (error) return reject(error);
          let stdout = "";
          let stderr = "";
          channel.on("data", (d: Buffer) => (stdout += d.toString()));
          channel.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          channel.on("exit", (code: number | null) => channel.once("close", () => {
            client.end();
            resolve({ rc: code ?? -1, stdout, stderr });
          }));
        });
      })
      .on("error", reject)
      // Host keys are checked by the OpenSSH tests; this one is about the password and sudo.
      .connect({ host: host.address, port: host.port, username: user, password, hostVerifier: () => true, readyTimeout: 60_000 });
  });
}
