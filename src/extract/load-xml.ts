/**
 * XML bodies (RSS, Atom, sitemaps, any XML): parsed by htmlparser2 in XML mode (names keep their
 * case, no HTML rules such as implied or void elements, CDATA sections read as text) into the
 * same tree HTML pages get, so fields, `records.each` and follow rules read them by XPath through
 * the same adapter (`xpath-dom.ts`) and the same code as HTML pages.
 */
import { load } from "cheerio/slim";
import type { CheerioAPI } from "cheerio/slim";
import { parseDocument } from "htmlparser2";
import { bindDocument } from "./load-html.ts";
import { markXmlDocument } from "./xpath-dom.ts";

/** One cheerio instance for every XML body, as `loadHtml` does for HTML (see there why). */
const shared = load("", { xml: true });

/**
 * Parses an XML document. Never throws: malformed XML is read as far as htmlparser2 repairs it.
 * Elements get their namespaces from `xmlns` attributes (see `NodeView.namespaceURI`).
 */
export function loadXml(xml: string): CheerioAPI {
  const document = parseDocument(xml, shared._options);
  markXmlDocument(document);
  return bindDocument(shared, document);
}
