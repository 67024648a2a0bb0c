// The bookshop scraper in TypeScript: the same shape as bookshop.yaml, plus code where YAML ends.
// Run it like any definition: `npx trawl run examples/bookshop.ts` (with the demo site on :8080).
import { defineScraper, registerStep } from "trawl";

// A user step, registered from code and used by name in `steps:` below.
registerStep("price-band", (_config, info) => ({
  name: info.name,
  kind: info.kind,
  async run(input, emit) {
    for await (const record of input) {
      const price = Number(record.price);
      emit({ ...record, band: price < 10 ? "budget" : price < 20 ? "standard" : "premium" });
    }
  },
}));

export default defineScraper({
  name: "bookshop-ts",
  targets: [
    { name: "history", start: "http://127.0.0.1:8080/history/page/1" },
    { name: "science", start: "http://127.0.0.1:8080/science/page/1" },
  ],
  politeness: { concurrency: 8, rate_per_host: 50 },
  setup: (ctx) => ctx.log("info", "bookshop-ts starting"),
  pages: {
    list: {
      follow: [
        { css: "a.next", page: "list" },
        { css: "article a.title", page: "product" },
      ],
    },
    product: {
      // Code instead of selectors: parse returns the page's records.
      parse: (page) => {
        const $ = page.$;
        return [
          {
            title: $("h1").text().trim(),
            price:
              Number(
                $(".price")
                  .text()
                  .replace(/[^0-9.]/g, ""),
              ) || null,
            sku: $("[data-sku]").attr("data-sku") ?? null,
            author: $(".author .name").text().trim(),
            stars: Number($(".rating").attr("data-rating") ?? 0),
            url: page.url,
          },
        ];
      },
    },
  },
  steps: [
    { validate: { required: ["title", "price"] } },
    { dedupe: { key: "sku" } },
    { "price-band": {} },
    { export: { dataset: "books-ts", formats: ["jsonl", "csv"] } },
  ],
});
