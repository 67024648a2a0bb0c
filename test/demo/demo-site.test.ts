import { request, Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { DemoListenError, DemoOptionsError, startDemoSite } from "../../src/demo/index.ts";
import { get, startSite } from "./helpers.ts";

const agents: Agent[] = [];
afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

/** A raw request through a keep-alive agent, to see headers fetch hides. */
function rawRequest(url: string, method: string, agent: Agent) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string; socket: unknown }>(
    (resolve, reject) => {
      const req = request(url, { method, agent }, (res) => {
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

  it("counts requests", async () => {
    const site = await startSite();
    expect(site.stats()).toEqual({ requests: 0 });
    await get(site, "/");
    await get(site, "/missing");
    await get(site, "/jobs-board/jobs/1004"); // a 429 counts too
    expect(site.stats()).toEqual({ requests: 3 });
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

  it("reports a taken port as a listen error", async () => {
    const site = await startSite();
    const error = await startDemoSite({ port: site.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoListenError);
    expect(error).toMatchObject({ code: "TRAWL_ERR_DEMO_LISTEN" });
  });
});
