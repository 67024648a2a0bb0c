/**
 * The error catalogues (one `errors.ts` per layer) against the code that raises them and against
 * docs/errors.md: every code used in `src/` is catalogued, every catalogued code is documented
 * with its catalogue's kind, HTTP status and exit code, and the docs list no code `src/` lacks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_KINDS, type ErrorSpec } from "../../src/core/errors.ts";

/** The family of codes a non-accepted HTTP status gives (`TRAWL_ERR_FETCH_HTTP_404`). */
const HTTP_STATUS_FAMILY = "TRAWL_ERR_FETCH_HTTP_<STATUS>";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every `TRAWL_ERR_…` written in src, a status code standing for its family; prefixes (`TRAWL_ERR_FETCH_${…}`) aside. */
function codesUsedInSrc(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sources("src")) {
    for (const match of readFileSync(file, "utf8").matchAll(/TRAWL_ERR_[A-Z0-9_]*/g)) {
      const code = match[0];
      if (code.endsWith("_")) continue;
      used.set(/^TRAWL_ERR_FETCH_HTTP_\d+$/.test(code) ? HTTP_STATUS_FAMILY : code, file);
    }
  }
  return used;
}

interface Catalogued {
  spec: ErrorSpec;
  layer: string;
}

/** The `XXX_ERRORS` catalogues of every `src/<layer>/errors.ts`, by code. */
async function loadCatalogues(): Promise<{
  codes: Map<string, Catalogued>;
  perLayer: Map<string, string[]>;
}> {
  const codes = new Map<string, Catalogued>();
  const perLayer = new Map<string, string[]>();
  const layers = readdirSync("src", { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const { name: layer } of layers) {
    const file = join("src", layer, "errors.ts");
    if (!readdirSync(join("src", layer)).includes("errors.ts")) continue;
    const module = (await import(pathToFileURL(join(process.cwd(), file)).href)) as Record<string, unknown>;
    const names = Object.keys(module).filter((name) => /^[A-Z]+_ERRORS$/.test(name));
    perLayer.set(layer, names);
    for (const name of names) {
      for (const [code, spec] of Object.entries(module[name] as Record<string, ErrorSpec>)) {
        expect(codes.get(code)?.layer, `${code} is in two catalogues`).toBeUndefined();
        codes.set(code, { spec, layer });
      }
    }
    if (typeof module.FETCH_HTTP_STATUS_ERROR === "object") {
      codes.set(HTTP_STATUS_FAMILY, { spec: module.FETCH_HTTP_STATUS_ERROR as ErrorSpec, layer });
    }
  }
  return { codes, perLayer };
}

interface DocumentedCode {
  kind: string;
  status: number;
  exitCode: number;
}

/** The rows `| \`CODE\` | kind | status | exit | … |` of docs/errors.md. */
function documentedCodes(docs: string): Map<string, DocumentedCode> {
  const rows = new Map<string, DocumentedCode>();
  for (const [, code, kind, status, exitCode] of docs.matchAll(
    /^\| `(TRAWL_ERR_[A-Z0-9_<>]+)` \| ([a-z_]+) \| (\d{3}) \| (\d+) \|/gm,
  )) {
    expect(rows.has(code!), `${code} is documented twice`).toBe(false);
    rows.set(code!, { kind: kind!, status: Number(status), exitCode: Number(exitCode) });
  }
  return rows;
}

/** The rows `| \`OLD\` | \`NEW\` |` of the renamed codes table. */
function renamedCodes(docs: string): [string, string][] {
  return [...docs.matchAll(/^\| `(TRAWL_ERR_[A-Z0-9_]+)` \| `(TRAWL_ERR_[A-Z0-9_]+)` \|/gm)].map(
    ([, from, to]) => [from!, to!],
  );
}

describe("the error catalogues and docs/errors.md", () => {
  const docs = readFileSync("docs/errors.md", "utf8");
  let catalogued: Map<string, Catalogued>;
  let perLayer: Map<string, string[]>;

  beforeAll(async () => {
    ({ codes: catalogued, perLayer } = await loadCatalogues());
  });

  it("gives each layer one catalogue, with codes named TRAWL_ERR_<AREA>_<WHAT>", () => {
    expect(perLayer.size).toBeGreaterThanOrEqual(10);
    for (const [layer, names] of perLayer) expect(names, `src/${layer}/errors.ts`).toHaveLength(1);
    for (const code of catalogued.keys()) expect(code).toMatch(/^TRAWL_ERR_[A-Z]+_[A-Z0-9_<>]+$/);
  });

  it("catalogues every code src/ raises", () => {
    const used = codesUsedInSrc();
    expect(used.size).toBeGreaterThan(50);
    for (const [code, file] of used) expect(catalogued.has(code), `${code} (in ${file})`).toBe(true);
  });

  it("leaves no bare Error thrown in src/: each error has a catalogued code", () => {
    for (const file of sources("src")) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/throw new Error\(/);
    }
  });

  it("catalogues no code src/ no longer raises", () => {
    const text = sources("src")
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    for (const code of catalogued.keys()) {
      if (code === HTTP_STATUS_FAMILY) continue;
      // Once in its catalogue, at least once where it is raised (or a class that raises it).
      const mentions = text.match(new RegExp(`${code}(?![A-Z0-9_])`, "g"))?.length ?? 0;
      // A failed request's code is built from its reason: `new FetchError("timeout", …)`.
      const reason = /^TRAWL_ERR_FETCH_(.+)$/.exec(code)?.[1]?.toLowerCase();
      const raisedAsReason = reason !== undefined && text.includes(`"${reason}"`);
      expect(mentions >= 2 || raisedAsReason, `${code} is catalogued but never raised`).toBe(true);
    }
  });

  it("documents every catalogued code with its kind, HTTP status and exit code", () => {
    const documented = documentedCodes(docs);
    for (const [code, { spec }] of catalogued) {
      const expected = {
        kind: spec.kind,
        status: spec.status ?? ERROR_KINDS[spec.kind].status,
        exitCode: ERROR_KINDS[spec.kind].exitCode,
      };
      expect(documented.get(code), code).toEqual(expected);
    }
  });

  it("documents no code src/ no longer has", () => {
    for (const code of documentedCodes(docs).keys()) expect(catalogued.has(code), code).toBe(true);
  });

  it("lists renamed codes that src/ no longer uses, each renamed to a catalogued code", () => {
    const renamed = renamedCodes(docs);
    expect(renamed.length).toBeGreaterThan(0);
    const used = codesUsedInSrc();
    for (const [from, to] of renamed) {
      expect(used.has(from), `${from} is still used in ${used.get(from)}`).toBe(false);
      expect(catalogued.has(to), to).toBe(true);
    }
  });
});
