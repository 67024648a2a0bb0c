/**
 * The bookshop's search form, answered only to a POST (as many real search forms are):
 * `POST /search` with the urlencoded fields `q` (words of the title) and optionally `category`
 * lists the matching books as `<article><a class="title" href="/book/SKU">`; `GET /search`
 * shows the form. The POST examples (examples/books-search.yaml) read it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BOOK_CATEGORIES, bookAt, type Book, type BookCatalogOptions } from "./book-catalog.ts";
import { escapeHtml, htmlDocument } from "./html.ts";

/** Where the search form is served. */
export const BOOK_SEARCH_PATH = "/search";

/** A POST body larger than this is refused (413): a form is small. */
const MAX_FORM_BYTES = 64 * 1024;

/** The books whose title holds `q` (any case), in category then list order; `category` narrows. */
export function searchBooks(options: BookCatalogOptions, q: string, category?: string): Book[] {
  const words = q.trim().toLowerCase();
  if (words === "") return [];
  return BOOK_CATEGORIES.filter((c) => category === undefined || c === category).flatMap((c) =>
    Array.from({ length: options.booksPerCategory }, (_, i) => bookAt(options, c, i + 1)).filter((book) =>
      book.title.toLowerCase().includes(words),
    ),
  );
}

function resultsPage(options: BookCatalogOptions, form: URLSearchParams): string {
  const q = form.get("q") ?? "";
  const books = searchBooks(options, q, form.get("category") ?? undefined);
  const items = books.map(
    (b) => `<article><a class="title" href="/book/${b.sku}">${escapeHtml(b.title)}</a></article>`,
  );
  const summary = `<p class="count">${books.length} book(s) for “${escapeHtml(q)}”</p>`;
  return htmlDocument(`Search: ${q}`, `<h1>Search</h1>\n${summary}\n${items.join("\n")}`);
}

const FORM_PAGE = htmlDocument(
  "Search",
  `<h1>Search</h1>\n<form method="post" action="${BOOK_SEARCH_PATH}"><input name="q"> <button>Search</button></form>`,
);

function reply(res: ServerResponse, status: number, body: string, type = "text/html; charset=utf-8"): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** Answers a request to the search form; false when the request is not one (another path). */
export function answerBookSearch(
  options: BookCatalogOptions,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (new URL(req.url ?? "/", "http://demo").pathname !== BOOK_SEARCH_PATH) return false;
  if (req.method !== "POST") {
    reply(res, 200, FORM_PAGE);
    return true;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return void req.destroy();
    chunks.push(chunk);
  });
  req.on("end", () =>
    reply(res, 200, resultsPage(options, new URLSearchParams(Buffer.concat(chunks).toString("utf8")))),
  );
  return true;
}
