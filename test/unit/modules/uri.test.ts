import { describe, expect, it } from "vitest";
import { buildRequest, interpretResponse, parseHeaderDump, parseWgetHeaders, targetRequestScript, uri, type UriArgs } from "../../../src/modules/uri.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const args = (more: Record<string, unknown>): UriArgs => {
  const { args: a, errors } = normalizeModuleArgs<UriArgs>(uri, { url: "http://127.0.0.1:8080/x", ...more });
  expect(errors).toEqual([]);
  return a;
};

describe("uri requests", () => {
  it("encodes JSON and form bodies with their content type", () => {
    expect(buildRequest(args({ method: "post", body: { a: 1 }, body_format: "json" }))).toMatchObject({
      method: "POST",
      body: '{"a":1}',
      headers: { "Content-Type": "application/json" },
      followRedirects: false,
    });
    expect(buildRequest(args({ method: "POST", body: { a: "b c" }, body_format: "form-urlencoded" })).body).toBe("a=b+c");
  });

  it("keeps a caller's content type and adds basic auth", () => {
    const req = buildRequest(args({ body: "{}", body_format: "json", headers: { "content-type": "application/merge-patch+json" }, user: "u", password: "p" }));
    expect(req.headers).toEqual({ "content-type": "application/merge-patch+json", Authorization: `Basic ${Buffer.from("u:p").toString("base64")}` });
  });

  it("keeps header values out of curl's argv", () => {
    const { script } = targetRequestScript(buildRequest(args({ headers: { Authorization: "Bearer secret-token" } })));
    const curlLine = script.split("\n").find((l) => l.trim().startsWith("curl"));
    expect(curlLine).toBeDefined();
    expect(curlLine).not.toContain("secret-token");
    expect(script).toContain("Authorization: Bearer secret-token");
  });
});

describe("uri responses", () => {
  it("takes the last header block of a redirect chain", () => {
    const dump = "HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n";
    expect(parseHeaderDump(dump)).toEqual({ status: 200, headers: { "content-type": "application/json", "set-cookie": "a=1, b=2" } });
  });

  it("reads GNU wget's -S headers", () => {
    expect(parseWgetHeaders("  HTTP/1.1 404 Not Found\n  Content-Type: text/plain\n")).toEqual({ status: 404, headers: { "content-type": "text/plain" } });
  });

  it("returns Ansible's fields, and fails on an unlisted status", () => {
    const res = { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: '{"ok":true}', url: "http://127.0.0.1:8080/x", redirects: 0 };
    expect(interpretResponse(args({}), res)).toEqual({
      changed: false,
      status: 200,
      url: res.url,
      redirected: false,
      content_type: "application/json; charset=utf-8",
      json: { ok: true },
      msg: "OK (11 bytes)",
    });
    expect(interpretResponse(args({ status_code: [201, 204] }), res)).toMatchObject({ failed: true, msg: "Status code was 200 and not [201, 204]: GET http://127.0.0.1:8080/x" });
  });
});
