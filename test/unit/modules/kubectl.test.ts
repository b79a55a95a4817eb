import { describe, expect, it } from "vitest";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";
import { changeCommand, kubectl, definitionText, kubectlCommand, parseKubectlOutput, parseRolloutTargets, planKubectl, type KubectlArgs } from "../../../src/modules/kubectl.js";

const args = (more: Partial<KubectlArgs>): KubectlArgs => ({ state: "present", kubectl: "kubectl", recursive: false, wait: false, wait_timeout: 300, ...more });

describe("kubectl output", () => {
  it("parses apply, dry-run and delete lines, ignoring warnings", () => {
    const out = [
      "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation",
      "namespace/apps unchanged",
      "deployment.apps/web configured (server dry run)",
      "service/web created (dry run)",
      'configmap "settings" deleted',
      'clusterrolebinding.rbac.authorization.k8s.io "x" deleted (server dry run)',
    ].join("\n");
    expect(parseKubectlOutput(out)).toEqual([
      { ref: "namespace/apps", action: "unchanged" },
      { ref: "deployment.apps/web", action: "configured" },
      { ref: "service/web", action: "created" },
      { ref: "configmap/settings", action: "deleted" },
      { ref: "clusterrolebinding.rbac.authorization.k8s.io/x", action: "deleted" },
    ]);
  });

  it("is changed only for created, configured or deleted objects", () => {
    expect(planKubectl(args({}), [{ ref: "a/b", action: "unchanged" }]).changed).toBe(false);
    expect(planKubectl(args({}), [{ ref: "a/b", action: "unchanged" }, { ref: "c/d", action: "configured" }]).changed).toBe(true);
  });

  it("finds the objects whose rollout to wait for, with their namespaces", () => {
    expect(parseRolloutTargets("Deployment web apps\nService web <none>\nDaemonSet agent <none>\n")).toEqual([
      { kind: "Deployment", name: "web", namespace: "apps" },
      { kind: "DaemonSet", name: "agent" },
    ]);
  });
});

describe("kubectl commands", () => {
  it("passes kubeconfig, context and namespace before the verb", () => {
    expect(kubectlCommand(args({ kubectl: "/usr/local/bin/kubectl", kubeconfig: "/etc/kubernetes/admin.conf", context: "ctx", namespace: "kube-system" }), "get", "pods")).toBe(
      "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf --context ctx --namespace kube-system get pods",
    );
  });

  it("applies or deletes a file, a directory recursively, or stdin", () => {
    expect(changeCommand(args({ src: "/etc/kubernetes/addons" , recursive: true }), true)).toBe("kubectl apply --dry-run=server -f /etc/kubernetes/addons -R");
    expect(changeCommand(args({ definition: "x", state: "absent" }), false)).toBe("kubectl delete --ignore-not-found=true --wait=false -f -");
  });

  it("serializes definitions as YAML documents", () => {
    expect(definitionText([{ kind: "A" }, { kind: "B" }])).toBe("kind: A\n---\nkind: B\n");
    expect(definitionText("kind: A\n")).toBe("kind: A\n");
  });
});

describe("kubectl arguments", () => {
  it("says which arguments clash or are missing", () => {
    expect(normalizeModuleArgs(kubectl, { src: "/a", definition: "kind: A" }).errors.map((e) => e.message)).toEqual([
      "kubectl: `src` and `definition` are mutually exclusive; give only one",
    ]);
    expect(normalizeModuleArgs(kubectl, {}).errors.map((e) => e.message)).toEqual(["kubectl: one of `src`, `definition` is required"]);
  });
});
