/**
 * XPath 1.0 over htmlparser2's tree, through the `xpath` library (never a hand-written engine):
 * expressions are compiled once and evaluated on the {@link NodeView} adapter.
 */
import type { AnyNode } from "domhandler";
import xpath from "xpath";
import { AttrView, namespaceFor, viewOf, type DomView } from "./xpath-dom.ts";

/** What the library's `parse()` gives (its typings omit it). */
interface CompiledXPath {
  evaluate(options: {
    node: DomView;
    allowAnyNamespaceForNoPrefix?: boolean;
    namespaces?: { getNamespace(prefix: string, node: DomView): string };
  }): unknown;
}

interface XPathLibrary {
  parse(expression: string): CompiledXPath;
  XNodeSet: new () => { toArray(): DomView[] };
  XNumber: new () => { numberValue(): number };
  XBoolean: new () => { booleanValue(): boolean };
  FunctionCall: new () => { functionName: string };
  FunctionResolver: new () => { functions: Record<string, unknown> };
  VariableReference: new () => { variable: string };
}

const library = xpath as unknown as XPathLibrary;

/** One item of a node-set result: an element (or the document), or the text of any other node. */
export type XPathItem = { node: AnyNode } | { text: string };

/**
 * An expression's value: the nodes it selected, in document order, or the string, number or
 * boolean it computed (`string(//h1)`, `count(//li)`).
 */
export type XPathValue = XPathItem[] | string | number | boolean;

/** The functions of XPath 1.0's core library, as the library names them (`{}count`). */
const coreFunctions = new library.FunctionResolver().functions;

/**
 * The first function the expression calls that XPath 1.0 does not have (`name()`), or the first
 * variable it reads (`$name`): the library would fail on every page.
 */
function unknownName(node: unknown, seen = new Set<unknown>()): string | undefined {
  if (typeof node !== "object" || node === null || seen.has(node)) return undefined;
  seen.add(node);
  if (node instanceof library.FunctionCall && !(`{}${node.functionName}` in coreFunctions))
    return `${node.functionName}()`;
  // trawl binds no variables: `$name` would fail on every page.
  if (node instanceof library.VariableReference) return `$${String(node.variable)}`;
  for (const value of Object.values(node)) {
    const found = unknownName(value, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

const compiled = new Map<string, CompiledXPath>();
const MAX_COMPILED = 256;

function compile(expression: string): CompiledXPath {
  let found = compiled.get(expression);
  if (!found) {
    found = library.parse(expression);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expression, found);
  }
  return found;
}

/**
 * Why an expression is not valid XPath 1.0 (it does not parse, or calls a function XPath 1.0
 * does not have), or `null`. The library only says "XPath parse error": the message adds what a
 * valid one looks like.
 */
export function xpathProblem(expression: string): string | null {
  try {
    const unknown = unknownName((compile(expression) as { expression?: unknown }).expression);
    if (unknown === undefined) return null;
    return unknown.startsWith("$")
      ? `XPath variables are not supported: "${unknown}"`
      : `unknown XPath function "${unknown}"`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid XPath expression (${reason}); expected XPath 1.0 like "//h1/text()" or "//a/@href"`;
  }
}

function item(view: DomView): XPathItem {
  if (view instanceof AttrView) return { text: view.value };
  return view.nodeType === 1 || view.nodeType === 9 ? { node: view.node } : { text: view.nodeValue ?? "" };
}

/** Prefixes resolve to the namespaces the document binds them to (see `namespaceFor`). */
const PREFIXES = { getNamespace: namespaceFor };

/**
 * Evaluates `expression` with `context` as the context node (`//x` still searches the whole
 * document; `.//x` and `x` are relative to `context`).
 *
 * @throws Error when the expression does not parse or calls an unknown function.
 */
export function evaluateXPath(expression: string, context: AnyNode): XPathValue {
  // Unprefixed names match elements of any namespace (`//entry` in an Atom feed, whose elements
  // are in the default namespace); prefixed ones (`//dc:creator`) the namespace the document binds.
  const result = compile(expression).evaluate({
    node: viewOf(context)!,
    allowAnyNamespaceForNoPrefix: true,
    namespaces: PREFIXES,
  });
  if (result instanceof library.XNodeSet) return result.toArray().map(item);
  if (result instanceof library.XNumber) return result.numberValue();
  if (result instanceof library.XBoolean) return result.booleanValue();
  return String(result);
}
