// uri on a real host: an HTTP server the test starts inside the host on its own 127.0.0.1 (the
// target's view), and one in this process on 127.0.0.1 for run_on: controller. No other address.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;
let controllerServer: http.Server;
let controllerUrl: string;

// The host's server: JSON echo of what it received, a redirect and a 404.
const SERVER = `
import http.server, json
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, ctype="application/json", extra={}):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items(): self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        if self.path == "/redirect": return self.reply(302, "", "text/plain", {"Location": "/json"})
        if self.path == "/missing": return self.reply(404, "no such thing", "text/plain")
        self.reply(200, json.dumps({"path": self.path, "auth": self.headers.get("Authorization"), "x": self.headers.get("X-Test")}), extra={"X-Served-By": "kplay-test"})
    def do_HEAD(self):
        self.send_response(200)
        self.send_header("X-Served-By", "kplay-test")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.reply(201, json.dumps({"got": json.loads(body), "ctype": self.headers.get("Content-Type")}))
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", 8080), H).serve_forever()
`;

// The host's TLS server: wants a client certificate signed by the test CA, answers with its name.
const TLS_SERVER = `
import http.server, json, ssl
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        subject = dict(x[0] for x in self.connection.getpeercert()["subject"])
        body = json.dumps({"client": subject["commonName"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 8443), H)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain("/etc/kplay-tls/server.crt", "/etc/kplay-tls/server.key")
tls.load_verify_locations("/etc/kplay-tls/ca.crt")
tls.verify_mode = ssl.CERT_REQUIRED
server.socket = tls.wrap_socket(server.socket, server_side=True)
server.serve_forever()
`;

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kplay-test-ca");
  writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\n");
  for (const [name, cn, ext] of [["server", "127.0.0.1", ["-extfile", "server.ext"]], ["client", "kplay-client", []]] as const) {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", ...ext);
  }
}

beforeAll(async () => {
  bed = await startHosts(1, { names: "uri" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
  await host.exec(`cat > /root/server.py <<'EOF'\n${SERVER}\nEOF\nsetsid python3 /root/server.py >/dev/null 2>&1 < /dev/null &`);
  await host.exec("for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8080/ && exit 0; sleep 0.2; done; exit 1");
  const certs = mkdtempSync(path.join(os.tmpdir(), "kplay-uri-tls-"));
  try {
    makeCertificates(certs);
    await host.exec("mkdir -p /etc/kplay-tls");
    for (const f of ["ca.crt", "server.crt", "server.key", "client.crt", "client.key"]) await conn.put(readFileSync(path.join(certs, f)), `/etc/kplay-tls/${f}`);
  } finally {
    rmSync(certs, { recursive: true, force: true });
  }
  await host.exec(`cat > /root/tls-server.py <<'EOF'\n${TLS_SERVER}\nEOF\nsetsid python3 /root/tls-server.py >/tmp/tls-server.log 2>&1 < /dev/null &`);
  await host.exec("for i in $(seq 50); do nc -z 127.0.0.1 8443 && exit 0; sleep 0.2; done; exit 1");
  controllerServer = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ from: "controller", method: req.method }));
  });
  await new Promise<void>((resolve) => controllerServer.listen(0, "127.0.0.1", resolve));
  controllerUrl = `http://127.0.0.1:${(controllerServer.address() as AddressInfo).port}/status`;
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
  await new Promise((resolve) => controllerServer?.close(resolve));
});

describe("uri", () => {
  it("GETs JSON from the target's point of view, with headers and basic auth", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/json", headers: { "X-Test": "yes it's me" }, url_username: "admin", url_password: "s3cret" });
    expect(r.msg).toMatch(/^OK \(\d+ bytes\)$/);
    expect(r).toMatchObject({
      changed: false,
      status: 200,
      url: "http://127.0.0.1:8080/json",
      content_type: "application/json",
      x_served_by: "kplay-test",
      json: { path: "/json", auth: `Basic ${Buffer.from("admin:s3cret").toString("base64")}`, x: "yes it's me" },
    });
    expect(r.content).toBeUndefined();
    expect(r.sent.runs).toHaveLength(1);
    expect(r.sent.runs[0]).not.toContain("s3cret");
  });

  it("POSTs a JSON body and accepts the listed status codes", async () => {
    const r = await runModule(conn, "uri", {
      url: "http://127.0.0.1:8080/items",
      method: "POST",
      body_format: "json",
      body: { name: "web", replicas: 2 },
      status_code: [200, 201],
      return_content: true,
    });
    expect(r).toMatchObject({ changed: false, status: 201, json: { got: { name: "web", replicas: 2 }, ctype: "application/json" } });
    expect(JSON.parse(r.content as string)).toEqual(r.json);
  });

  it("follows a redirect for GET", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/redirect" });
    expect(r).toMatchObject({ status: 200, redirected: true, url: "http://127.0.0.1:8080/json" });
    const none = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/redirect", follow_redirects: "none", status_code: 302 });
    expect(none).toMatchObject({ status: 302, redirected: false, location: "/json" });
  });

  it("sends HEAD requests", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/json", method: "HEAD", return_content: true });
    expect(r).toMatchObject({ status: 200, content: "", x_served_by: "kplay-test" });
  });

  it("fails on an unexpected status, with the body", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/missing" });
    expect(r).toMatchObject({ failed: true, status: 404, content: "no such thing", msg: "Status code was 404 and not [200]: GET http://127.0.0.1:8080/missing" });
  });

  it("fails when nothing answers", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8081/", timeout: 5 });
    expect(r).toMatchObject({ failed: true, status: -1 });
    expect(r.msg).toMatch(/^Request failed: curl: \(7\)/);
  });

  it("presents a client certificate and verifies the server against a CA", async () => {
    const tls = { url: "https://127.0.0.1:8443/healthz", client_cert: "/etc/kplay-tls/client.crt", client_key: "/etc/kplay-tls/client.key" };
    const verified = await runModule(conn, "uri", { ...tls, ca_path: "/etc/kplay-tls/ca.crt" });
    expect(verified.msg).toMatch(/^OK/);
    expect(verified).toMatchObject({ status: 200, json: { client: "kplay-client" } });
    expect((await runModule(conn, "uri", { ...tls, validate_certs: false })).status).toBe(200);

    const untrusted = await runModule(conn, "uri", tls);
    expect(untrusted).toMatchObject({ failed: true, status: -1 });
    expect(untrusted.msg).toMatch(/^Request failed: curl: \(60\)/);
    const anonymous = await runModule(conn, "uri", { url: tls.url, ca_path: "/etc/kplay-tls/ca.crt" });
    expect(anonymous).toMatchObject({ failed: true, status: -1 });
  });

  it("runs from the controller with run_on: controller", async () => {
    const r = await runModule(conn, "uri", { url: controllerUrl, method: "PUT", run_on: "controller" });
    expect(r).toMatchObject({ changed: false, status: 200, json: { from: "controller", method: "PUT" } });
    expect(r.sent.runs).toEqual([]);
  });

  it("is skipped in check mode, sending nothing", async () => {
    const r = await runModule(conn, "uri", { url: "http://127.0.0.1:8080/items", method: "POST", body: "x" }, { check: true });
    expect(r).toMatchObject({ changed: false, skipped: true, sent: { runs: [], puts: [], gets: [] } });
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{ url: "ftp://127.0.0.1/" }, { url: "http://127.0.0.1/", status_code: "ok" }, { url: "http://127.0.0.1/", headers: { A: "x\nB: y" } }, { url: "http://127.0.0.1/", run_on: "both" }]) {
      const r = await runModule(conn, "uri", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
