// kubectl on a real host. No Kubernetes API server can run here, so the host gets a stand-in
// `kubectl` (a shell script keeping objects in /var/lib/fake-kube) that prints what kubectl
// prints: this tests the module's plumbing (commands, stdin, kubeconfig, dry runs, output
// parsing, rollout waits) honestly, not Kubernetes itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;

const FAKE_KUBECTL = String.raw`#!/bin/sh
# Stand-in for kubectl: objects live in $state as files named RESOURCE.NAME; output as kubectl's.
state=/var/lib/fake-kube; mkdir -p "$state"
printf '%s\n' "$*" >> "$state/calls.log"
verb= file= dry= ns= output= ref=
while [ $# -gt 0 ]; do
  case "$1" in
    --kubeconfig) [ -f "$2" ] || { echo "error: stat $2: no such file or directory" >&2; exit 1; }; shift ;;
    --context) shift ;;
    --namespace|-n) ns=$2; shift ;;
    -f) file=$2; shift ;;
    -o) output=$2; shift ;;
    --dry-run=server) dry=" (server dry run)" ;;
    -R|--ignore-not-found=true|--wait=false|--no-headers|--timeout=*) ;;
    apply|delete|get) verb=$1 ;;
    rollout) verb=rollout; ref=$3; shift 2 ;;
    *) echo "fake kubectl: unexpected argument $1" >&2; exit 1 ;;
  esac
  shift
done
if [ "$verb" = rollout ]; then echo "$(echo "$ref" | cut -d/ -f1) \"$(echo "$ref" | cut -d/ -f2)\" successfully rolled out"; exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ "$file" = - ]; then cat > "$work/all"; elif [ -d "$file" ]; then cat "$file"/*.yaml > "$work/all"; else cat "$file" > "$work/all" || exit 1; fi
awk -v dir="$work" 'BEGIN{n=1} /^---/{n++; next} {print > (dir "/doc." n)}' "$work/all"
for doc in "$work"/doc.*; do
  kind=$(sed -n 's/^kind: *//p' "$doc" | head -n 1)
  [ -n "$kind" ] || continue
  name=$(awk '/^metadata:/{m=1; next} m && /^  name:/{print $2; exit}' "$doc")
  docns=$(awk '/^metadata:/{m=1; next} m && /^  namespace:/{print $2; exit}' "$doc")
  case "$kind" in Deployment|DaemonSet|StatefulSet) res="$(echo "$kind" | tr A-Z a-z).apps" ;; *) res=$(echo "$kind" | tr A-Z a-z) ;; esac
  key="$state/$res.$name"
  case "$verb" in
    apply)
      if [ ! -f "$key" ]; then action=created; elif cmp -s "$doc" "$key"; then action=unchanged; else action=configured; fi
      [ -n "$dry" ] || cp "$doc" "$key"
      echo "$res/$name $action$dry" ;;
    delete)
      if [ -f "$key" ]; then echo "$res \"$name\" deleted$dry"; [ -n "$dry" ] || rm -f "$key"; fi ;;
    get)
      [ -n "$docns" ] || docns=$ns; [ -n "$docns" ] || docns="<none>"
      echo "$kind $name $docns" ;;
  esac
done
`;

const DEPLOYMENT = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps" },
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
};
const SERVICE = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } };

beforeAll(async () => {
  bed = await startHosts(1, { names: "kubectl" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
  await conn.put(FAKE_KUBECTL, "/usr/local/bin/kubectl", { mode: "0755" });
  await host.exec("mkdir -p /etc/kubernetes && echo 'apiVersion: v1' > /etc/kubernetes/admin.conf");
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

const objects = async () => (await host.exec("ls /var/lib/fake-kube | grep -v calls.log || true")).stdout.split("\n").filter(Boolean);
const calls = async () => (await host.exec("cat /var/lib/fake-kube/calls.log")).stdout.trim().split("\n");

describe("kubectl", () => {
  it("check mode asks for a server dry run, reports what would be created and creates nothing", async () => {
    const r = await runModule(conn, "kubectl", { definition: [DEPLOYMENT, SERVICE], kubeconfig: "/etc/kubernetes/admin.conf" }, { check: true, diff: true });
    expect(r.msg ?? "").toBe("");
    expect(r).toMatchObject({
      changed: true,
      objects: [
        { ref: "deployment.apps/web", action: "created" },
        { ref: "service/web", action: "created" },
      ],
    });
    expect(r.diff?.[0]).toMatchObject({ before: "deployment.apps/web: absent\nservice/web: absent\n", after: "deployment.apps/web: present (created)\nservice/web: present (created)\n" });
    expect(await objects()).toEqual([]);
    expect(await calls()).toEqual(["--kubeconfig /etc/kubernetes/admin.conf apply --dry-run=server -f -"]);
  });

  it("applies an inline definition, then reports unchanged objects as ok", async () => {
    const args = { definition: [DEPLOYMENT, SERVICE], kubeconfig: "/etc/kubernetes/admin.conf" };
    const first = await runModule(conn, "kubectl", args);
    expect(first).toMatchObject({ changed: true, objects: [{ action: "created" }, { action: "created" }] });
    expect(await objects()).toEqual(["deployment.apps.web", "service.web"]);

    const second = await runModule(conn, "kubectl", args);
    expect(second).toMatchObject({ changed: false, objects: [{ action: "unchanged" }, { action: "unchanged" }] });
    expect(second.sent.runs).toHaveLength(1); // the dry run alone
  });

  it("applies a changed manifest and waits for its rollouts in the object's namespace", async () => {
    const r = await runModule(conn, "kubectl", {
      definition: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  replicas: 3\n`,
      kubeconfig: "/etc/kubernetes/admin.conf",
      wait: true,
      wait_timeout: 60,
    });
    expect(r.msg ?? "").toBe("");
    expect(r).toMatchObject({ changed: true, objects: [{ ref: "deployment.apps/web", action: "configured" }], rolled_out: ["deployment/web"] });
    expect((await calls()).at(-1)).toBe("--kubeconfig /etc/kubernetes/admin.conf --namespace apps rollout status deployment/web --timeout=60s");
  });

  it("applies a directory of manifests on the target", async () => {
    await host.exec("mkdir -p /root/manifests && printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: settings\\ndata:\\n  a: \"1\"\\n' > /root/manifests/cm.yaml");
    const r = await runModule(conn, "kubectl", { src: "/root/manifests", namespace: "apps" });
    expect(r).toMatchObject({ changed: true, objects: [{ ref: "configmap/settings", action: "created" }] });
    expect((await runModule(conn, "kubectl", { src: "/root/manifests", namespace: "apps" })).changed).toBe(false);
  });

  it("deletes objects, and reports ok once they are gone", async () => {
    const r = await runModule(conn, "kubectl", { src: "/root/manifests", state: "absent" });
    expect(r).toMatchObject({ changed: true, objects: [{ ref: "configmap/settings", action: "deleted" }] });
    expect(await objects()).not.toContain("configmap.settings");
    const again = await runModule(conn, "kubectl", { src: "/root/manifests", state: "absent" });
    expect(again).toMatchObject({ changed: false, objects: [] });
  });

  it("reports kubectl's own error", async () => {
    const r = await runModule(conn, "kubectl", { src: "/root/manifests", kubeconfig: "/etc/kubernetes/missing.conf" });
    expect(r).toMatchObject({ failed: true, rc: 1 });
    expect(r.msg).toBe("kubectl apply (server dry run) failed (rc 1): error: stat /etc/kubernetes/missing.conf: no such file or directory");
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{}, { src: "/a", definition: "kind: x" }, { src: "/a", state: "latest" }, { src: "/a", wait_timeout: 0 }]) {
      const r = await runModule(conn, "kubectl", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
