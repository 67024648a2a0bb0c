/**
 * The bookshop's JSON API: `/api/books/<category>?page=n`, the books of one list page as JSON,
 * with a `next` URL to the following page (`null` on the last). The JSON example reads it.
 */
import {
  BOOK_CATEGORIES,
  BOOKS_PER_LIST_PAGE,
  bookAt,
  listPageCount,
  type BookCatalogOptions,
} from "./book-catalog.ts";
import { parsePageNumber, type DemoResponse, type DemoRoutes } from "./html.ts";

/** Where the API lives. */
export const BOOK_API_PREFIX = "/api/books";

function json(status: number, value: unknown): DemoResponse {
  return {
    status,
    body: `${JSON.stringify(value, null, 2)}\n`,
    contentType: "application/json; charset=utf-8",
  };
}

/**
 * The API's routes: `/api/books` (the categories) and `/api/books/<category>?page=n`. A page past
 * the end, or an unknown category, answers 404 with `{ "error": … }`.
 */
export function createBookApi(options: BookCatalogOptions): DemoRoutes {
  return (path, query) => {
    if (path === BOOK_API_PREFIX) {
      return json(200, {
        categories: BOOK_CATEGORIES.map((c) => ({ name: c, url: `${BOOK_API_PREFIX}/${c}?page=1` })),
      });
    }
    const match = /^\/api\/books\/([a-z]+)$/.exec(path);
    if (!match) return path.startsWith(`${BOOK_API_PREFIX}/`) ? json(404, { error: "not found" }) : undefined;
    const category = BOOK_CATEGORIES.find((c) => c === match[1]);
    const page = parsePageNumber(query.get("page"));
    const pages = listPageCount(options);
    if (!category || page === undefined || page > pages) return json(404, { error: "no such page" });
    const first = (page - 1) * BOOKS_PER_LIST_PAGE + 1;
    const last = Math.min(page * BOOKS_PER_LIST_PAGE, options.booksPerCategory);
    const books = [];
    for (let index = first; index <= last; index++) {
      const book = bookAt(options, category, index);
      const { sku, title, author, price, rating } = book;
      books.push({ sku, title, author, price, rating, in_stock: book.inStock, url: `/book/${sku}` });
    }
    const next = page < pages ? `${BOOK_API_PREFIX}/${category}?page=${page + 1}` : null;
    return json(200, { category, page, pages, books, next });
  };
}
