/**
 * The bookshop as XML: a sitemap index at `/sitemap.xml` naming one sitemap per category
 * (`/sitemaps/<category>.xml`, every book page with a `<lastmod>`), and an RSS feed of the
 * newest fiction at `/feed.xml`. The sitemap and feed examples read them. URLs are site-relative:
 * the routes do not know the address the site listens on (trawl resolves them against the
 * document's URL).
 */
import { BOOK_CATEGORIES, bookAt, type BookCatalogOptions } from "./book-catalog.ts";
import { escapeHtml, type DemoResponse, type DemoRoutes } from "./html.ts";

/** How many books the feed lists. */
export const FEED_SIZE = 10;

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

function xml(body: string, contentType = "application/xml; charset=utf-8"): DemoResponse {
  return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`, contentType };
}

/** A book's last change, derived from its position: the same on every run of the site. */
export function bookLastmod(index: number): string {
  return `2026-01-${String(1 + (index % 28)).padStart(2, "0")}`;
}

/** The routes `/sitemap.xml`, `/sitemaps/<category>.xml` and `/feed.xml`. */
export function createBookFeeds(options: BookCatalogOptions): DemoRoutes {
  return (path) => {
    if (path === "/sitemap.xml") {
      const sitemaps = BOOK_CATEGORIES.map((c) => `  <sitemap><loc>/sitemaps/${c}.xml</loc></sitemap>`);
      return xml(`<sitemapindex xmlns="${SITEMAP_NS}">\n${sitemaps.join("\n")}\n</sitemapindex>`);
    }
    const category = BOOK_CATEGORIES.find((c) => path === `/sitemaps/${c}.xml`);
    if (category) {
      const urls = [];
      for (let index = 1; index <= options.booksPerCategory; index++) {
        const { sku } = bookAt(options, category, index);
        urls.push(`  <url><loc>/book/${sku}</loc><lastmod>${bookLastmod(index)}</lastmod></url>`);
      }
      return xml(`<urlset xmlns="${SITEMAP_NS}">\n${urls.join("\n")}\n</urlset>`);
    }
    if (path !== "/feed.xml") return undefined;
    const items = [];
    for (let index = 1; index <= Math.min(FEED_SIZE, options.booksPerCategory); index++) {
      const book = bookAt(options, "fiction", index);
      items.push(
        `  <item><title>${escapeHtml(book.title)}</title><link>/book/${book.sku}</link>` +
          `<dc:creator>${escapeHtml(book.author)}</dc:creator><guid>${book.sku}</guid>` +
          `<pubDate>${new Date(`${bookLastmod(index)}T09:00:00Z`).toUTCString()}</pubDate></item>`,
      );
    }
    return xml(
      `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel><title>New fiction</title>` +
        `<link>/fiction/page/1</link>\n${items.join("\n")}\n</channel></rss>`,
      "application/rss+xml; charset=utf-8",
    );
  };
}
