/**
 * Traces (issue 16, item 9): `trawl run` with `OTEL_EXPORTER_OTLP_ENDPOINT` set exports a span
 * per run, per step and per fetch attempt over OTLP/HTTP, nested and timed, to a collector (a
 * local server speaking OTLP/HTTP JSON: no real collector runs here); without the variable
 * nothing is sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { makeWorkDir, parseJson, runCli, writeText } from "../cli/run-cli.ts";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

let site: FaultSite;
let collector: http.Server;
let endpoint: string;
const exports: OtlpExport[] = [];

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/list": (_req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(`<a class="item" href="/item?i=1">1</a><a class="item" href="/item?i=2">2</a>`),
      "/item": (req, res) =>
        void res.writeHead(200, { "content-type": "text/html" }).end(`<h1>${req.url}</h1>`),
    },
  });
  collector = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") exports.push(JSON.parse(body) as OtlpExport);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await site.close();
  await new Promise((resolve) => collector.close(resolve));
});

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe("traces", () => {
  it("a run exports nested spans: the run, its steps, each fetch; none without an endpoint", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await writeText(
      dir,
      "traced.yaml",
      `name: traced
start: ${site.url}/list
politeness: { robots: ignore, rate_per_host: 100 }
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1 }
steps:
  - dedupe: { key: title }
`,
    );
    const quiet = await runCli(["run", file, "--json"], { home });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(exports).toEqual([]);

    const run = await runCli(["run", file, "--json"], {
      home,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    });
    expect(run.code, run.stderr).toBe(0);
    const runId = parseJson<{ id: string }>(run).id;
    const resource = exports[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "trawl" } });
    const spans = exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    const root = spans.find((s) => s.name === "run")!;
    expect(attribute(root, "trawl.run.id")).toEqual({ stringValue: runId });
    expect(attribute(root, "trawl.run.outcome")).toEqual({ stringValue: "succeeded" });
    expect(root.parentSpanId ?? "").toBe("");
    const steps = spans.filter((s) => s.name.startsWith("step "));
    expect(steps.map((s) => s.name)).toEqual(["step crawl", "step dedupe"]);
    for (const step of steps) expect(step.parentSpanId).toBe(root.spanId);
    const fetches = spans.filter((s) => s.name === "fetch");
    expect(fetches).toHaveLength(3);
    for (const fetch of fetches) {
      expect(fetch.parentSpanId).toBe(steps[0]!.spanId);
      expect(fetch.traceId).toBe(root.traceId);
      expect(attribute(fetch, "http.response.status_code")).toEqual({ intValue: 200 });
      expect(BigInt(fetch.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(fetch.startTimeUnixNano));
      expect(BigInt(fetch.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(root.startTimeUnixNano));
    }
  }, 60_000);
});
