/**
 * A read-only W3C DOM view of htmlparser2's tree (domhandler), for the `xpath` library: it walks
 * `nodeType`, `nodeName`, `firstChild`/`nextSibling`, `attributes.item(i)`, `ownerElement`… which
 * domhandler nodes lack or shape differently (attributes are a plain object, the doctype is an
 * element-typed directive). Views are made on demand, only for the nodes an expression visits,
 * and are the same object for the same node (XPath node sets compare nodes by identity).
 */
import type { AnyNode, ChildNode, Element, ParentNode } from "domhandler";

const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const COMMENT = 8;
const DOCUMENT = 9;

/** A node as the `xpath` library sees it; `node` is the domhandler node (absent for attributes). */
export type DomView = NodeView | AttrView;

const views = new WeakMap<AnyNode, NodeView>();

/**
 * Documents parsed as XML (see `loadXml`): only their elements have namespaces. HTML keeps none,
 * so that `//h1` still matches in a page declaring `xmlns="http://www.w3.org/1999/xhtml"`.
 */
const xmlDocuments = new WeakSet<AnyNode>();
/** Whether any document was parsed as XML in this thread: until then no view looks for its root. */
let anyXml = false;

/** Marks `document` as XML: its elements get the namespace their prefix (or `xmlns`) declares. */
export function markXmlDocument(document: AnyNode): void {
  xmlDocuments.add(document);
  anyXml = true;
}

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

/**
 * The namespace of a prefix no `xmlns:` attribute binds: elements written with it (a feed that
 * forgot its declaration) still match an expression using the same prefix, instead of the
 * expression failing on the page.
 */
const undeclared = (prefix: string): string => `urn:trawl:undeclared-prefix:${prefix}`;

/**
 * The namespace `prefix` stands for in an expression evaluated at `view`: the one the document
 * binds it to at the nearest element, else {@link undeclared}.
 */
export function namespaceFor(prefix: string, view: DomView): string {
  if (prefix === "xml") return XML_NAMESPACE;
  let at: AnyNode | null = view instanceof AttrView ? view.ownerElement.node : view.node;
  if (at.type === "root") at = at.children.find((child) => "attribs" in child) ?? null;
  while (at !== null && !("attribs" in at)) at = at.parent;
  return (at === null ? null : namespaceAt(at, prefix)) ?? undeclared(prefix);
}

/** The namespace `prefix` ("" for the default one) is bound to at `element`, from `xmlns` attributes. */
function namespaceAt(element: Element, prefix: string): string | null {
  const attribute = prefix === "" ? "xmlns" : `xmlns:${prefix}`;
  for (let at: ParentNode | null = element; at !== null && "attribs" in at; at = at.parent) {
    const uri = (at as Element).attribs[attribute];
    if (uri !== undefined) return uri === "" ? null : uri;
  }
  return null;
}

/** The view of a domhandler node; `null` for nodes XPath does not see (doctype, directives). */
export function viewOf(node: AnyNode | null): NodeView | null {
  if (node === null || node.type === "directive") return null;
  let view = views.get(node);
  if (!view) {
    view = new NodeView(node);
    views.set(node, view);
  }
  return view;
}

/** The nearest sibling XPath sees, in `step` direction (skips the doctype). */
function sibling(node: AnyNode | null, step: "next" | "prev"): NodeView | null {
  let at = node;
  while (at !== null && at.type === "directive") at = step === "next" ? at.next : at.prev;
  return viewOf(at);
}

/** A list as DOM's `NodeList`/`NamedNodeMap`: indexable, with `length` and `item(i)`. */
function domList<T>(items: T[]): T[] & { item(i: number): T | null } {
  return Object.assign(items, { item: (i: number) => items[i] ?? null });
}

/** An element, text, comment or the document. */
export class NodeView {
  private children: NodeView[] | undefined;
  private attrs: AttrView[] | undefined;

  constructor(readonly node: AnyNode) {}

  get nodeType(): number {
    switch (this.node.type) {
      case "root":
        return DOCUMENT;
      case "text":
      case "cdata":
        return TEXT;
      case "comment":
        return COMMENT;
      default:
        return ELEMENT;
    }
  }

  get nodeName(): string {
    if (this.nodeType === ELEMENT) return (this.node as Element).name;
    return this.nodeType === DOCUMENT ? "#document" : this.nodeType === TEXT ? "#text" : "#comment";
  }

  /** In XML, the name without its prefix (`creator` of `dc:creator`); in HTML, the whole name. */
  get localName(): string | null {
    if (this.nodeType !== ELEMENT) return null;
    const { name } = this.node as Element;
    return this.inXml() ? name.slice(name.indexOf(":") + 1) : name;
  }

  get tagName(): string | undefined {
    return this.nodeType === ELEMENT ? (this.node as Element).name : undefined;
  }

  /** In XML, the namespace the element's prefix (or the default `xmlns`) is bound to; else null. */
  get namespaceURI(): string | null {
    if (!anyXml || this.nodeType !== ELEMENT || !this.inXml()) return null;
    const { prefix } = this;
    return namespaceAt(this.node as Element, prefix ?? "") ?? (prefix === null ? null : undeclared(prefix));
  }

  get prefix(): string | null {
    if (!anyXml || this.nodeType !== ELEMENT || !this.inXml()) return null;
    const { name } = this.node as Element;
    const colon = name.indexOf(":");
    return colon < 0 ? null : name.slice(0, colon);
  }

  private xml: boolean | undefined;

  /** Whether the node is part of a document parsed as XML (see {@link markXmlDocument}). */
  inXml(): boolean {
    if (!anyXml) return false;
    if (this.xml === undefined) {
      let root: AnyNode = this.node;
      while (root.parent) root = root.parent;
      this.xml = xmlDocuments.has(root);
    }
    return this.xml;
  }

  get nodeValue(): string | null {
    const { node } = this;
    if (node.type === "text" || node.type === "comment") return node.data;
    if (node.type === "cdata") return node.children.map((c) => ("data" in c ? c.data : "")).join("");
    return null;
  }

  get data(): string | null {
    return this.nodeValue;
  }

  get parentNode(): NodeView | null {
    return viewOf(this.node.parent);
  }

  get ownerDocument(): NodeView | null {
    let root: AnyNode = this.node;
    while (root.parent) root = root.parent;
    return root === this.node ? null : viewOf(root);
  }

  get firstChild(): NodeView | null {
    return this.hasChildren() ? sibling((this.node as ParentNode).firstChild, "next") : null;
  }

  get lastChild(): NodeView | null {
    return this.hasChildren() ? sibling((this.node as ParentNode).lastChild, "prev") : null;
  }

  get nextSibling(): NodeView | null {
    return sibling(this.node.next, "next");
  }

  get previousSibling(): NodeView | null {
    return sibling(this.node.prev, "prev");
  }

  get childNodes(): NodeView[] {
    this.children ??= domList(
      this.hasChildren() ? (this.node as ParentNode).children.flatMap((c: ChildNode) => viewOf(c) ?? []) : [],
    );
    return this.children;
  }

  get attributes(): AttrView[] | null {
    if (this.nodeType !== ELEMENT) return null;
    this.attrs ??= domList(
      Object.entries((this.node as Element).attribs).map(([name, value]) => new AttrView(this, name, value)),
    );
    return this.attrs;
  }

  get documentElement(): NodeView | null {
    if (this.nodeType !== DOCUMENT) return null;
    return this.childNodes.find((c) => c.nodeType === ELEMENT) ?? null;
  }

  getAttribute(name: string): string | null {
    return this.nodeType === ELEMENT ? ((this.node as Element).attribs[name] ?? null) : null;
  }

  getAttributeNS(_namespace: string | null, name: string): string | null {
    return this.getAttribute(name);
  }

  private hasChildren(): boolean {
    const { type } = this.node;
    return type === "root" || type === "tag" || type === "script" || type === "style";
  }
}

/** An attribute of an element; its value is read, never a child node. */
export class AttrView {
  readonly nodeType = ATTRIBUTE;
  readonly parentNode = null;
  readonly firstChild = null;
  readonly nextSibling = null;
  readonly previousSibling = null;

  constructor(
    readonly ownerElement: NodeView,
    readonly name: string,
    readonly value: string,
  ) {}

  get nodeName(): string {
    return this.name;
  }

  /** In XML, the name without its prefix (`lang` of `xml:lang`); in HTML, the whole name. */
  get localName(): string {
    return this.prefix === null ? this.name : this.name.slice(this.prefix.length + 1);
  }

  /** In XML, the prefix of a prefixed name (`xml` of `xml:lang`); unprefixed attributes have none. */
  get prefix(): string | null {
    const colon = this.name.indexOf(":");
    return colon < 0 || !this.ownerElement.inXml() ? null : this.name.slice(0, colon);
  }

  /** In XML, the namespace of a prefixed attribute (`@xml:lang`, `@xlink:href`); else null. */
  get namespaceURI(): string | null {
    const { prefix } = this;
    return prefix === null ? null : namespaceFor(prefix, this);
  }

  get nodeValue(): string {
    return this.value;
  }

  get ownerDocument(): NodeView | null {
    return this.ownerElement.ownerDocument;
  }
}
