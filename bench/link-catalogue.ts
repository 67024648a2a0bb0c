/**
 * The link-heavy catalogue of the crawl benchmark (issue 12 §5): a shop whose product pages of
 * 15–25 KB each carry ~40 links to other products (related items, "also viewed") and
 * breadcrumbs to list pages, so a crawl sees ~40 links per page, nearly all duplicates. List
 * pages (`/c/<category>/page/<n>`, 20 products each) paginate with `a.next`. Every page is a pure
 * function of the seed and its path: the site stores nothing, whatever its size.
 */
import { escapeHtml, htmlResponse, notFound, type DemoRoutes } from "../src/demo/html.ts";
import { intBetween, pick, seededRandom } from "../src/demo/seeded.ts";
import { BLURB_SENTENCES, TITLE_ADJECTIVES, TITLE_NOUNS } from "../src/demo/words.ts";

/** Categories of the shop; each has its own chain of list pages. */
export const LINK_CATEGORIES = 10;
/** Products listed per list page. */
export const PRODUCTS_PER_LIST_PAGE = 20;
/** Links of a product page to other products: related items plus "also viewed". */
const RELATED = 36;
const ALSO_VIEWED = 4;
const SEED = 7;

/** The catalogue's shape: products per category (the total is {@link LINK_CATEGORIES} times it). */
export interface LinkCatalogue {
  productsPerCategory: number;
}

/** The catalogue closest to `products` products in all (at least one per category). */
export function linkCatalogue(products: number): LinkCatalogue {
  return { productsPerCategory: Math.max(1, Math.round(products / LINK_CATEGORIES)) };
}

/** List pages of one category. */
function listPagesPerCategory(catalogue: LinkCatalogue): number {
  return Math.ceil(catalogue.productsPerCategory / PRODUCTS_PER_LIST_PAGE);
}

/** Products and list pages in all: what a complete crawl visits. */
export function linkCataloguePages(catalogue: LinkCatalogue): { products: number; lists: number } {
  return {
    products: LINK_CATEGORIES * catalogue.productsPerCategory,
    lists: LINK_CATEGORIES * listPagesPerCategory(catalogue),
  };
}

/** The crawl's start URLs: the first list page of every category. */
export function linkCatalogueStarts(origin: string): string[] {
  return Array.from({ length: LINK_CATEGORIES }, (_, c) => `${origin}/c/${c + 1}/page/1`);
}

const productPath = (index: number) => `/p/${String(index).padStart(6, "0")}`;
const listPath = (category: number, page: number) => `/c/${category}/page/${page}`;

/** Category (1-based) and position in it (0-based) of product `index` (1-based). */
function placeOf(catalogue: LinkCatalogue, index: number): { category: number; position: number } {
  const per = catalogue.productsPerCategory;
  return { category: Math.floor((index - 1) / per) + 1, position: (index - 1) % per };
}

function titleOf(index: number): string {
  const random = seededRandom(SEED, "title", index);
  return `${pick(random, TITLE_ADJECTIVES)} ${pick(random, TITLE_NOUNS)} ${index}`;
}

function priceOf(index: number): string {
  return (5 + (seededRandom(SEED, "price", index)() * 19500) / 100).toFixed(2);
}

const skuOf = (index: number) => `LK-${String(index).padStart(6, "0")}`;

/** A product card as list pages and the related sections show it (one link to the product). */
function card(index: number): string {
  return (
    `<li class="card"><a class="product-link" href="${productPath(index)}">` +
    `<img src="/img/${index}.jpg" alt="" width="160" height="160">` +
    `<span class="name">${escapeHtml(titleOf(index))}</span></a>` +
    `<span class="card-price">€${priceOf(index)}</span></li>`
  );
}

function siteHeader(): string {
  const links = Array.from(
    { length: LINK_CATEGORIES },
    (_, c) => `<a href="${listPath(c + 1, 1)}">Category ${c + 1}</a>`,
  );
  return `<header><a class="logo" href="/">Shop</a><nav class="menu">${links.join(" ")}</nav></header>`;
}

/** A few paragraphs of seeded filler text, so that product pages weigh 15–25 KB. */
function description(index: number, bytes: number): string {
  const random = seededRandom(SEED, "text", index);
  const paragraphs: string[] = [];
  let length = 0;
  while (length < bytes) {
    const sentences = Array.from({ length: intBetween(random, 4, 8) }, () => pick(random, BLURB_SENTENCES));
    const paragraph = `<p>${escapeHtml(sentences.join(" "))}</p>`;
    paragraphs.push(paragraph);
    length += paragraph.length;
  }
  return paragraphs.join("\n");
}

function specs(index: number): string {
  const random = seededRandom(SEED, "specs", index);
  const rows = Array.from(
    { length: 12 },
    (_, i) =>
      `<tr><th>Property ${i + 1}</th><td>${pick(random, TITLE_ADJECTIVES)} ${intBetween(random, 1, 999)}</td></tr>`,
  );
  return `<table class="specs">${rows.join("")}</table>`;
}

/** Other products linked from product `index`: seeded across the catalogue, never itself. */
function relatedOf(total: number, index: number, count: number): number[] {
  const random = seededRandom(SEED, "related", index);
  const related: number[] = [];
  for (let i = 0; i < count && total > 1; i++) {
    const other = intBetween(random, 1, total - 1);
    related.push(other >= index ? other + 1 : other);
  }
  return related;
}

function productPage(catalogue: LinkCatalogue, index: number): string {
  const total = LINK_CATEGORIES * catalogue.productsPerCategory;
  const { category, position } = placeOf(catalogue, index);
  const listPage = Math.floor(position / PRODUCTS_PER_LIST_PAGE) + 1;
  const title = titleOf(index);
  const breadcrumbs =
    `<nav class="breadcrumbs"><a href="/">Home</a> › <a class="list" href="${listPath(category, 1)}">Category ${category}</a>` +
    ` › <a class="list" href="${listPath(category, listPage)}">Page ${listPage}</a> › <span>${escapeHtml(title)}</span></nav>`;
  const viewed = Array.from({ length: ALSO_VIEWED }, (_, i) => ((index + i) % total) + 1).filter(
    (i) => i !== index,
  );
  const bytes = 9000 + Math.floor(seededRandom(SEED, "size", index)() * 8000);
  return (
    `${siteHeader()}\n${breadcrumbs}\n<main class="product" data-sku="${skuOf(index)}">\n` +
    `<h1>${escapeHtml(title)}</h1>\n<p class="price">€${priceOf(index)}</p>\n` +
    `<p class="sku">SKU: <span>${skuOf(index)}</span></p>\n<div class="description">${description(index, bytes)}</div>\n` +
    `${specs(index)}\n<section class="related"><h2>Related items</h2><ul>${relatedOf(total, index, RELATED).map(card).join("\n")}</ul></section>\n` +
    `<section class="also-viewed"><h2>Customers also viewed</h2><ul>${viewed.map(card).join("\n")}</ul></section>\n</main>\n` +
    `<footer><a href="/about">About</a> <a href="/contact">Contact</a></footer>`
  );
}

function listPage(catalogue: LinkCatalogue, category: number, page: number): string {
  const per = catalogue.productsPerCategory;
  const first = (category - 1) * per + (page - 1) * PRODUCTS_PER_LIST_PAGE + 1;
  const last = Math.min((category - 1) * per + per, first + PRODUCTS_PER_LIST_PAGE - 1);
  const cards = Array.from({ length: last - first + 1 }, (_, i) => card(first + i));
  const pages = listPagesPerCategory(catalogue);
  const next = page < pages ? `<a class="next" href="${listPath(category, page + 1)}">next</a>` : "";
  const prev = page > 1 ? `<a class="prev" href="${listPath(category, page - 1)}">previous</a>` : "";
  return (
    `${siteHeader()}\n<h1>Category ${category}, page ${page} of ${pages}</h1>\n` +
    `<ul class="grid">${cards.join("\n")}</ul>\n<p class="pager">${prev} ${next}</p>`
  );
}

function whole(text: string | undefined, max: number): number | undefined {
  const value = Number(text);
  return /^[1-9]\d*$/.test(text ?? "") && value <= max ? value : undefined;
}

/** The catalogue's routes: `/p/<6 digits>` and `/c/<category>/page/<n>`; 404 for unknown ones. */
export function linkCatalogueRoutes(catalogue: LinkCatalogue): DemoRoutes {
  const total = LINK_CATEGORIES * catalogue.productsPerCategory;
  return (path) => {
    const product = /^\/p\/(\d{6})$/.exec(path);
    if (product) {
      const index = whole(String(Number(product[1])), total);
      return index ? htmlResponse(titleOf(index), productPage(catalogue, index)) : notFound(path);
    }
    const list = /^\/c\/(\d+)\/page\/(\d+)$/.exec(path);
    if (!list) return undefined;
    const category = whole(list[1], LINK_CATEGORIES);
    const page = whole(list[2], listPagesPerCategory(catalogue));
    if (!category || !page) return notFound(path);
    return htmlResponse(`Category ${category}, page ${page}`, listPage(catalogue, category, page));
  };
}
