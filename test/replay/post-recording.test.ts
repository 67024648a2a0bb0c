/**
 * Recordings of POST requests: a recorded run POSTs one URL a form and a JSON document and GETs
 * it. The source-page lookup (what the web app's "source" link shows) traces each record, in the
 * crawl's stage and in a transform step's, to the page of its own request (two POSTs to one URL
 * are two pages), while the records API still shows the plain URL as the source; the WARC export
 * holds each POST as a request record with its method and body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { WARCParser } from "warcio";
import { openRecording } from "../../src/replay/read-captures.ts";
import { writeWarc } from "../../src/replay/warc-export.ts";
import { pageOfRecord } from "../../src/replay/source-page.ts";
import type { PageDetail } from "../../src/replay/capture-detail.ts";
import { FileBlobStore } from "../../src/store/index.ts";
import { useSiteApp } from "../engine/site-app.ts";

/** The search: its heading is the method and body it got. */
async function search(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const page = `<html><body><h1>${req.method} ${Buffer.concat(chunks).toString("utf8")}</h1></body></html>`;
  res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(page) });
  res.end(page);
}

const t = useSiteApp("trawl-source-post-", { routes: { "/sp/search": (req, res) => void search(req, res) } });

const DEFINITION = `name: source-post
start:
  - { url: SITE/sp/search, method: POST, form: { q: lantern } }
  - { url: SITE/sp/search, method: POST, json: { q: rope } }
  - SITE/sp/search
pages:
  results:
    record:
      heading: h1
politeness: { rate_per_host: 1000, robots: ignore, concurrency: 1 }
steps:
  - transform: { compute: { label: "found: \${heading}" } }
`;

let runId: string;

describe("recording of POST requests", () => {
  it("traces each record to the page of its own request, in the crawl's stage and a step's", async () => {
    const run = await t.app.engine.run(await t.scraper("source-post", DEFINITION), { record: true });
    expect(run.status).toBe("succeeded");
    runId = run.id;
    const blobs = new FileBlobStore(t.app.paths.blobs);
    const headings = ["GET", 'POST {"q":"rope"}', "POST q=lantern"].sort();
    for (const stage of [0, 1]) {
      const found: string[] = [];
      for (let position = 0; position < 3; position++) {
        const record = (await t.app.store.records.at(run.id, stage, position))!;
        const data = record.data as Record<string, string>;
        const page = await pageOfRecord(t.app.store, blobs, run.id, { data, source: record.source });
        expect(page?.match).toBe("request");
        const request = (page!.capture.detail as unknown as PageDetail).request;
        // The page's request is the record's: its heading names the method and body sent.
        expect(data.heading).toBe(request ? `POST ${request.text}` : "GET");
        found.push(data.heading!);
      }
      expect(found.sort()).toEqual(headings);
    }
    // The records API's sources stay URLs.
    const queried = await t.app.store.records.query(run.id, 1, { limit: 10 });
    expect(queried.records.map((r) => r.source)).toEqual(Array(3).fill(`${t.site.url}/sp/search`));
  });

  it("exports each POST to the WARC as a request record of its method and body", async () => {
    const file = join(t.dir, "post.warc");
    const out = createWriteStream(file);
    await writeWarc(await openRecording(t.app.store, t.app.paths.blobs, runId), out);
    out.end();
    await finished(out);
    const requests: string[] = [];
    for await (const record of new WARCParser(createReadStream(file))) {
      if (record.warcType !== "request") continue;
      const body = Buffer.from(await record.readFully(false)).toString("utf8");
      requests.push(
        `${record.httpHeaders?.statusline} ${record.httpHeaders?.headers.get("content-type")} ${body}`,
      );
    }
    expect(requests.sort()).toEqual([
      'POST /sp/search HTTP/1.1 application/json {"q":"rope"}',
      "POST /sp/search HTTP/1.1 application/x-www-form-urlencoded q=lantern",
    ]);
  });
});
