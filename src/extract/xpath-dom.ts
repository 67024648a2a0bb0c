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

  get localName(): string | null {
    return this.nodeType === ELEMENT ? (this.node as Element).name : null;
  }

  get tagName(): string | undefined {
    return this.localName ?? undefined;
  }

  readonly namespaceURI = null;
  readonly prefix = null;

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
  readonly namespaceURI = null;
  readonly prefix = null;
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

  get localName(): string {
    return this.name;
  }

  get nodeValue(): string {
    return this.value;
  }

  get ownerDocument(): NodeView | null {
    return this.ownerElement.ownerDocument;
  }
}
