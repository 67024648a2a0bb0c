/**
 * The bookshop's catalogue, computed on demand: a book is a pure function of the seed, its
 * category and its index, so the site serves tens of thousands of pages without storing any.
 */
import { intBetween, pick, pickSome, seededRandom } from "./seeded.ts";
import {
  BLURB_SENTENCES,
  FIRST_NAMES,
  LAST_NAMES,
  TITLE_ADJECTIVES,
  TITLE_NOUNS,
  TITLE_PATTERNS,
} from "./words.ts";

/** The bookshop's categories, in navigation order. Each one is a crawl target. */
export const BOOK_CATEGORIES = ["fiction", "poetry", "history", "science"] as const;

/** One of {@link BOOK_CATEGORIES}. */
export type BookCategory = (typeof BOOK_CATEGORIES)[number];

/** Books listed per category page. */
export const BOOKS_PER_LIST_PAGE = 10;

const SKU_PREFIX: Record<BookCategory, string> = {
  fiction: "FIC",
  poetry: "POE",
  history: "HIS",
  science: "SCI",
};

/**
 * The bookshop's deliberate imperfections, active only when `faults` is on (and only for books
 * that exist, i.e. whose index is within `booksPerCategory`).
 */
export const BOOKSHOP_FAULTS = {
  /** Product pages without a `.price` element (a validation step drops them). */
  missingPrice: ["FIC-00007", "POE-00013"],
  /** A fiction book also listed, at the end of poetry page 1, via a different URL (`?ref=poetry`). */
  crossListed: { sku: "FIC-00003", alsoIn: "poetry" as BookCategory, href: "/book/FIC-00003?ref=poetry" },
  /** Product pages with malformed HTML (unclosed tags, unquoted attributes); data still extractable. */
  malformedProducts: ["FIC-00011", "POE-00004", "HIS-00009", "SCI-00002"],
  /** List pages with malformed HTML (`<article>` never closed). */
  malformedListPages: [{ category: "science" as BookCategory, page: 2 }],
} as const;

/** Shapes the catalogue. */
export interface BookCatalogOptions {
  seed: number;
  booksPerCategory: number;
  faults: boolean;
}

/** One book, as its product page shows it. */
export interface Book {
  sku: string;
  category: BookCategory;
  /** 1-based position in its category. */
  index: number;
  title: string;
  author: string;
  /** Pounds; `null` for the deliberately price-less products. */
  price: number | null;
  /** 1 to 5 stars. */
  rating: number;
  inStock: boolean;
  description: string;
  /** Whether its product page is served as malformed HTML. */
  malformed: boolean;
}

/** An entry of a list page. */
export interface ListEntry {
  sku: string;
  title: string;
  href: string;
}

/** The sku of the `index`-th (1-based) book of a category, e.g. `FIC-00042`. */
export function bookSku(category: BookCategory, index: number): string {
  return `${SKU_PREFIX[category]}-${String(index).padStart(5, "0")}`;
}

/** The category and index a sku names, or `undefined` when it names no book in the catalogue. */
export function parseSku(
  options: BookCatalogOptions,
  sku: string,
): { category: BookCategory; index: number } | undefined {
  const match = /^([A-Z]{3})-(\d{5,})$/.exec(sku);
  if (!match) return undefined;
  const category = BOOK_CATEGORIES.find((c) => SKU_PREFIX[c] === match[1]);
  const index = Number(match[2]);
  if (!category || index < 1 || index > options.booksPerCategory) return undefined;
  return bookSku(category, index) === sku ? { category, index } : undefined;
}

/** The number of list pages of each category (at least 1, even when the category is empty). */
export function listPageCount(options: BookCatalogOptions): number {
  return Math.max(1, Math.ceil(options.booksPerCategory / BOOKS_PER_LIST_PAGE));
}

/** The book a sku names, or `undefined`. */
export function bookBySku(options: BookCatalogOptions, sku: string): Book | undefined {
  const parsed = parseSku(options, sku);
  return parsed && bookAt(options, parsed.category, parsed.index);
}

/** The `index`-th (1-based) book of a category. Does not check the index against the catalogue size. */
export function bookAt(options: BookCatalogOptions, category: BookCategory, index: number): Book {
  const sku = bookSku(category, index);
  const random = seededRandom(options.seed, "book", sku);
  const faulty = (list: readonly string[]) => options.faults && list.includes(sku);
  const pennies = pick(random, [0.49, 0.99, 0.99, 0.5]);
  const price = intBetween(random, 3, 29) + pennies;
  return {
    sku,
    category,
    index,
    title: bookTitle(random),
    author: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
    price: faulty(BOOKSHOP_FAULTS.missingPrice) ? null : Math.round(price * 100) / 100,
    rating: intBetween(random, 1, 5),
    inStock: random() < 0.8,
    description: pickSome(random, BLURB_SENTENCES, intBetween(random, 2, 4)).join(" "),
    malformed: faulty(BOOKSHOP_FAULTS.malformedProducts),
  };
}

function bookTitle(random: () => number): string {
  return pick(random, TITLE_PATTERNS)
    .replace("{a}", pick(random, TITLE_ADJECTIVES))
    .replace("{n}", pick(random, TITLE_NOUNS))
    .replace("{m}", pick(random, TITLE_NOUNS));
}

/**
 * The entries of one list page (1-based), or `undefined` when the page does not exist.
 * With faults on, poetry page 1 carries the cross-listed fiction book as an extra entry.
 */
export function listEntries(
  options: BookCatalogOptions,
  category: BookCategory,
  page: number,
): ListEntry[] | undefined {
  if (page < 1 || page > listPageCount(options)) return undefined;
  const first = (page - 1) * BOOKS_PER_LIST_PAGE + 1;
  const last = Math.min(page * BOOKS_PER_LIST_PAGE, options.booksPerCategory);
  const entries: ListEntry[] = [];
  for (let index = first; index <= last; index++) {
    const book = bookAt(options, category, index);
    entries.push({ sku: book.sku, title: book.title, href: `/book/${book.sku}` });
  }
  const cross = BOOKSHOP_FAULTS.crossListed;
  if (options.faults && category === cross.alsoIn && page === 1) {
    const book = bookBySku(options, cross.sku);
    if (book) entries.push({ sku: book.sku, title: book.title, href: cross.href });
  }
  return entries;
}
