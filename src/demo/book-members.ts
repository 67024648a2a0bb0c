/**
 * The bookshop's members' picks, a page that needs request headers (examples/books-members.yaml
 * reads it): `GET /members/picks` answers 401 unless the request carries
 * `X-Member-Key: demo-member-key`; the `shelf` cookie picks the category (fiction by default) and
 * an `Accept-Language` starting with `fr` serves the page in French. It lists the first
 * {@link MEMBER_PICKS} books of the shelf at the member price ({@link memberPrice}).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  BOOK_CATEGORIES,
  bookAt,
  type Book,
  type BookCatalogOptions,
  type BookCategory,
} from "./book-catalog.ts";
import { escapeHtml } from "./html.ts";

/** Where the members' picks are served. */
export const BOOK_MEMBERS_PATH = "/members/picks";

/** The key the members' page wants in `X-Member-Key`: public, it is a demo. */
export const DEMO_MEMBER_KEY = "demo-member-key";

/** Books on the members' page. */
export const MEMBER_PICKS = 10;

/** A book's price for members: 20 % off, to the penny; `null` when the book has no price. */
export function memberPrice(book: Book): number | null {
  return book.price === null ? null : Math.round(book.price * 80) / 100;
}

/** The books the members' page lists for a shelf. */
export function memberPicks(options: BookCatalogOptions, shelf: BookCategory): Book[] {
  return Array.from({ length: Math.min(MEMBER_PICKS, options.booksPerCategory) }, (_, i) =>
    bookAt(options, shelf, i + 1),
  );
}

const WORDS = {
  en: { title: "Members' picks", label: "Member price", denied: "A member key is required." },
  fr: { title: "Choix des membres", label: "Prix membre", denied: "Une clé de membre est requise." },
};

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function page(lang: "en" | "fr", title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

function picksPage(options: BookCatalogOptions, shelf: BookCategory, lang: "en" | "fr"): string {
  const words = WORDS[lang];
  const items = memberPicks(options, shelf).map((book) => {
    const price = memberPrice(book);
    const shown =
      price === null
        ? ""
        : ` <span class="label">${words.label}</span> <span class="price">£${price.toFixed(2)}</span>`;
    return (
      `<article><a class="title" href="/book/${book.sku}">${escapeHtml(book.title)}</a>` +
      ` <span data-sku="${book.sku}"></span>${shown}</article>`
    );
  });
  return page(lang, words.title, `<h1>${words.title}: ${shelf}</h1>\n${items.join("\n")}`);
}

/** Answers a request to the members' page; false when the request is not one (another path). */
export function answerBookMembers(
  options: BookCatalogOptions,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (new URL(req.url ?? "/", "http://demo").pathname !== BOOK_MEMBERS_PATH) return false;
  if (req.method !== "GET" && req.method !== "HEAD") return false; // the site's 405
  const lang = /^fr\b/i.test(req.headers["accept-language"] ?? "") ? "fr" : "en";
  const shelfCookie = cookie(req, "shelf");
  const shelf = BOOK_CATEGORIES.find((c) => c === shelfCookie) ?? "fiction";
  const allowed = req.headers["x-member-key"] === DEMO_MEMBER_KEY;
  const body = allowed
    ? picksPage(options, shelf, lang)
    : page(lang, "401", `<h1>401</h1>\n<p>${WORDS[lang].denied}</p>`);
  res.writeHead(allowed ? 200 : 401, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    Vary: "X-Member-Key, Accept-Language, Cookie",
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
