/** Reads YAML definitions, keeping positions so every problem names its line and column. */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { definitionSchema } from "./definition-schema.ts";
import type { Definition } from "./definition-schema.ts";
import { DefinitionError, DefinitionLoadError } from "./errors.ts";
import type { DefinitionProblem } from "./errors.ts";
import { issuesToProblems } from "./problems.ts";
import type { Locator, PathSegment } from "./problems.ts";

/** Aliases expanded per document at most: stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;

type Range = [number, number, number];

function child(node: unknown, segment: PathSegment): { key?: YamlNode; value?: YamlNode } | null {
  if (isMap(node)) {
    const pair = node.items.find(
      (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment),
    );
    return pair
      ? { key: pair.key as YamlNode, value: (pair.value ?? undefined) as YamlNode | undefined }
      : null;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment] as YamlNode | undefined;
    return item ? { value: item } : null;
  }
  return null;
}

/** A locator walking the YAML tree; a path that does not exist falls back to its nearest parent. */
export function yamlLocator(doc: Document, lines: LineCounter): Locator {
  return (path, key) => {
    let node: unknown = doc.contents;
    let range: Range | undefined = (doc.contents as YamlNode | null)?.range ?? undefined;
    for (const [i, segment] of path.entries()) {
      const found = child(node, segment);
      if (found === null) break;
      const last = i === path.length - 1;
      const target = last && key ? (found.key ?? found.value) : (found.value ?? found.key);
      range = target?.range ?? range;
      node = found.value;
    }
    const pos = lines.linePos(range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
}

function syntaxProblems(doc: Document, file: string): DefinitionProblem[] {
  return doc.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    path: "",
    message: (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, ""),
  }));
}

/**
 * Parses and validates a YAML definition.
 *
 * @param file - Shown in problems; not read.
 * @throws DefinitionError with every syntax error, or else every schema problem, located.
 */
export function parseDefinitionYaml(text: string, file: string): Definition {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new DefinitionError(syntaxProblems(doc, file));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new DefinitionError([{ file, line: 1, column: 1, path: "", message }], { cause });
  }
  const parsed = definitionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = issuesToProblems(parsed.error.issues, file, yamlLocator(doc, lines));
  throw new DefinitionError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
}

/**
 * Reads and validates a YAML definition file.
 *
 * @returns The definition and the exact text read (its hash identifies the definition).
 * @throws DefinitionLoadError when the file cannot be read; DefinitionError when it is invalid.
 */
export async function loadYamlDefinition(file: string): Promise<{ definition: Definition; text: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new DefinitionLoadError(file, "cannot read the definition file", { cause });
  }
  return { definition: parseDefinitionYaml(text, file), text };
}
