import { request, Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEMO_PROXY_PASSWORD,
  DEMO_PROXY_USER,
  DemoListenError,
  DemoOptionsError,
  startDemoSite,
} from "../../src/demo/index.ts";
import { get, startSite } from "./helpers.ts";

const agents: Agent[] = [];
afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

/** A GET of `target` sent to the proxy at `proxyUrl` (absolute form), with `Proxy-Authorization` if given. */
function viaProxy(proxyUrl: string, target: string, auth?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(proxyUrl);
    const headers = auth ? { "Proxy-Authorization": auth } : {};
    const req = request({ hostname, port, path: target, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject).end();
  });
}

/** A raw request through a keep-alive agent, to see headers fetch hides (and send none it adds). */
function rawRequest(url: string, method: string, agent: Agent, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string; socket: unknown }>(
    (resolve, reject) => {
      const req = request(url, { method, agent, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket }),
        );
      });
      req.on("error", reject).end();
    },
  );
}

describe("demo site", () => {
  it("serves robots.txt allowing everything but /admin", async () => {
    const site = await startSite();
    const robots = await get(site, "/robots.txt");
    expect(robots.status).toBe(200);
    expect(robots.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(robots.text).toBe("User-agent: *\nDisallow: /admin\nAllow: /\n");
    expect((await get(site, "/admin")).status).toBe(200);
  });

  it("links both shops from its home page and answers 404 elsewhere", async () => {
    const site = await startSite();
    const home = await get(site, "/");
    const hrefs = home
      .$("a")
      .map((_, a) => home.$(a).attr("href"))
      .get();
    expect(hrefs).toEqual(
      expect.arrayContaining(["/fiction/page/1", "/science/page/1", "/jobs-board/", "/admin"]),
    );
    expect((await get(site, "/nowhere")).status).toBe(404);
  });

  it("sets Content-Length, keeps connections alive and answers HEAD without a body", async () => {
    const site = await startSite();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const first = await rawRequest(`${site.url}/book/FIC-00001`, "GET", agent);
    expect(Number(first.headers["content-length"])).toBe(Buffer.byteLength(first.body));
    expect(first.headers.connection).toBe("keep-alive");
    const head = await rawRequest(`${site.url}/book/FIC-00001`, "HEAD", agent);
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(first.headers["content-length"]);
    expect(head.socket).toBe(first.socket);
    const post = await rawRequest(`${site.url}/`, "POST", agent);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("tags each page with the hash of its body and answers a conditional GET naming it with 304", async () => {
    const [site, twin] = [await startSite(), await startSite()];
    const page = await get(site, "/book/FIC-00001");
    const etag = page.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect((await get(twin, "/book/FIC-00001")).headers.get("etag")).toBe(etag); // same seed, same page
    // Not fetch(): it adds Cache-Control: no-cache to a conditional request, which asks for the page.
    const agent = new Agent();
    agents.push(agent);
    const conditional = (path: string) =>
      rawRequest(`${site.url}${path}`, "GET", agent, { "If-None-Match": etag });
    expect(await conditional("/book/FIC-00001")).toMatchObject({ status: 304, headers: { etag }, body: "" });
    const other = await conditional("/book/FIC-00002");
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
    expect((await get(site, "/nowhere")).headers.get("etag")).toBeNull(); // only a 200 has one
  });

  it("has a forward proxy beside it that wants the demo's credentials and goes only to the site", async () => {
    const site = await startSite();
    const auth = `Basic ${Buffer.from(`${DEMO_PROXY_USER}:${DEMO_PROXY_PASSWORD}`).toString("base64")}`;
    const robots = await viaProxy(site.proxyUrl, `${site.url}/robots.txt`, auth);
    expect(robots).toMatchObject({ status: 200, body: "User-agent: *\nDisallow: /admin\nAllow: /\n" });
    expect((await viaProxy(site.proxyUrl, `${site.url}/robots.txt`)).status).toBe(407);
    const wrong = `Basic ${Buffer.from(`${DEMO_PROXY_USER}:guess`).toString("base64")}`;
    expect((await viaProxy(site.proxyUrl, `${site.url}/robots.txt`, wrong)).status).toBe(407);
    const elsewhere = new URL(site.proxyUrl); // anything but the site: the proxy itself, say
    expect((await viaProxy(site.proxyUrl, `${elsewhere.origin}/`, auth)).status).toBe(407);
    expect(site.stats()).toEqual({ requests: 1, proxied: 4 });
  });

  it("counts requests", async () => {
    const site = await startSite();
    expect(site.stats()).toEqual({ requests: 0, proxied: 0 });
    await get(site, "/");
    await get(site, "/missing");
    await get(site, "/jobs-board/jobs/1004"); // a 429 counts too
    expect(site.stats()).toEqual({ requests: 3, proxied: 0 });
  });

  it("closes promptly while a slow response is pending, and close is idempotent", async () => {
    const site = await startDemoSite({ port: 0 });
    const pending = fetch(`${site.url}/jobs-board/jobs/1003`).then(
      (r) => r.status,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([site.close(), site.close()]);
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(`${site.url}/`)).rejects.toThrow();
  });

  it("rejects invalid options with a usage error naming the option", async () => {
    await expect(startDemoSite({ port: -1 })).rejects.toMatchObject({
      code: "TRAWL_ERR_DEMO_OPTIONS",
      details: { field: "port" },
    });
    await expect(startDemoSite({ booksPerCategory: 2.5 })).rejects.toBeInstanceOf(DemoOptionsError);
    await expect(startDemoSite({ port: 0, colour: "blue" } as never)).rejects.toThrow(/colour/);
  });

  it("reports a taken port, its own or its proxy's, as a listen error", async () => {
    const site = await startSite();
    const error = await startDemoSite({ port: site.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoListenError);
    expect(error).toMatchObject({ code: "TRAWL_ERR_DEMO_LISTEN" });
    const proxyPort = await startDemoSite({ port: 0, proxyPort: site.port }).catch((e: unknown) => e);
    expect(proxyPort).toBeInstanceOf(DemoListenError);
  });
});
