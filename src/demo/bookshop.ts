/**
 * The demo bookshop: category list pages (`/fiction/page/1`, 10 books each, `a.next` on every
 * page but the last) and product pages (`/book/FIC-00001`). Content comes from the seed.
 */
import {
  BOOK_CATEGORIES,
  BOOKSHOP_FAULTS,
  bookBySku,
  listEntries,
  listPageCount,
  type Book,
  type BookCatalogOptions,
  type BookCategory,
  type ListEntry,
} from "./book-catalog.ts";
import {
  escapeHtml,
  htmlResponse,
  notFound,
  parsePageNumber,
  redirect,
  type DemoResponse,
  type DemoRoutes,
} from "./html.ts";

/** Options of {@link createBookshop}: the catalogue's shape. */
export type BookshopOptions = BookCatalogOptions;

/**
 * The bookshop's routes. Paths it owns: `/<category>`, `/<category>/page/<n>`, `/book/<sku>`.
 * Unknown pages and skus under those paths answer 404; other paths return `undefined`.
 */
export function createBookshop(options: BookshopOptions): DemoRoutes {
  return (path) => {
    const list = /^\/([a-z]+)(?:\/page\/([^/]+))?\/?$/.exec(path);
    if (list && isCategory(list[1])) {
      if (list[2] === undefined) return redirect(`/${list[1]}/page/1`);
      return listPage(options, list[1], parsePageNumber(list[2])) ?? notFound(path);
    }
    const product = /^\/book\/([^/]+)$/.exec(path);
    if (product) {
      const book = bookBySku(options, product[1] ?? "");
      return book ? productPage(book) : notFound(path);
    }
    return undefined;
  };
}

function isCategory(name: string | undefined): name is BookCategory {
  return (BOOK_CATEGORIES as readonly string[]).includes(name ?? "");
}

/** Navigation shared by the bookshop's pages. */
export function bookshopNav(): string {
  const links = BOOK_CATEGORIES.map((c) => `<a href="/${c}/page/1">${c}</a>`).join(" | ");
  return `<nav class="categories"><a href="/">home</a> | ${links}</nav>`;
}

function listPage(
  options: BookshopOptions,
  category: BookCategory,
  page: number | undefined,
): DemoResponse | undefined {
  if (page === undefined) return undefined;
  const entries = listEntries(options, category, page);
  if (!entries) return undefined;
  const pages = listPageCount(options);
  const malformed =
    options.faults &&
    BOOKSHOP_FAULTS.malformedListPages.some((p) => p.category === category && p.page === page);
  const articles = entries.map((e) => article(e, malformed)).join("\n");
  const next = page < pages ? `<a class="next" href="/${category}/page/${page + 1}">next</a>` : "";
  const prev = page > 1 ? `<a class="prev" href="/${category}/page/${page - 1}">previous</a>` : "";
  const body =
    `${bookshopNav()}\n<h1 class="category">${category} — page ${page} of ${pages}</h1>\n` +
    `<section class="books">\n${articles}\n</section>\n<p class="pager">${prev} ${next}</p>`;
  return htmlResponse(`${category} — page ${page}`, body);
}

function article(entry: ListEntry, malformed: boolean): string {
  const link = `<a class="title" href="${escapeHtml(entry.href)}">${escapeHtml(entry.title)}</a>`;
  // A malformed list never closes its articles: parsers nest them, selectors still match.
  return malformed ? `<article data-sku=${entry.sku}>${link}` : `<article>${link}</article>`;
}

/** Renders a product page; malformed books get unclosed tags and unquoted attributes. */
function productPage(book: Book): DemoResponse {
  const stars = "★".repeat(book.rating) + "☆".repeat(5 - book.rating);
  if (book.malformed) return malformedProductPage(book, stars);
  const price = book.price === null ? "" : `<p class="price">£${book.price.toFixed(2)}</p>\n`;
  const stock = book.inStock
    ? `<p class="availability in-stock" data-in-stock="true">In stock</p>`
    : `<p class="availability out-of-stock" data-in-stock="false">Out of stock</p>`;
  const body =
    `${bookshopNav()}\n<main class="product" data-sku="${book.sku}">\n` +
    `<h1>${escapeHtml(book.title)}</h1>\n<p class="author">by <span class="name">${escapeHtml(book.author)}</span></p>\n` +
    price +
    `<p class="rating" data-rating="${book.rating}">${stars}</p>\n${stock}\n` +
    `<div class="description"><p>${escapeHtml(book.description)}</p></div>\n` +
    `<p class="category">Category: <a href="/${book.category}/page/1">${book.category}</a></p>\n</main>`;
  return htmlResponse(book.title, body);
}

function malformedProductPage(book: Book, stars: string): DemoResponse {
  const price = book.price === null ? "" : `<p class=price>£${book.price.toFixed(2)}\n`;
  const body =
    `<html><head><title>${escapeHtml(book.title)}</title><body>\n<div class=product data-sku=${book.sku}>\n` +
    `<h1>${escapeHtml(book.title)}</h1>\n<p class=author>by <span class=name>${escapeHtml(book.author)}</span>\n` +
    price +
    `<p class=rating data-rating=${book.rating}>${stars}\n` +
    `<p class="availability ${book.inStock ? "in-stock" : "out-of-stock"}" data-in-stock=${book.inStock}>` +
    `${book.inStock ? "In stock" : "Out of stock"}\n<div class=description><p>${escapeHtml(book.description)}\n` +
    `</span></td>\n`;
  return { status: 200, body };
}
