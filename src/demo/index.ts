/**
 * The bundled demo site and the example scrapers written against it. Used by `trawl demo`,
 * the benchmark and integration tests.
 */
export { startDemoSite } from "./demo-site.ts";
export type { DemoSite, DemoSiteOptions } from "./demo-site.ts";
export { DemoListenError, DemoOptionsError } from "./errors.ts";
export {
  EXAMPLE_NAMES,
  EXAMPLE_ORIGIN,
  EXAMPLE_PROXY_ORIGIN,
  EXAMPLES_DIR,
  examplePath,
  readExample,
} from "./examples.ts";
export type { ExampleSite } from "./examples.ts";
export { DEMO_PROXY_PASSWORD, DEMO_PROXY_PASSWORD_ENV, DEMO_PROXY_USER } from "./demo-proxy.ts";
export { copyExample, EXAMPLE_DATA_FILES } from "./example-files.ts";
export { BOOK_SEARCH_PATH, searchBooks } from "./book-search.ts";
export { BOOK_MEMBERS_PATH, DEMO_MEMBER_KEY, memberPicks, memberPrice } from "./book-members.ts";
export {
  BOOK_CATEGORIES,
  BOOKS_PER_LIST_PAGE,
  BOOKSHOP_FAULTS,
  bookAt,
  bookSku,
  listPageCount,
} from "./book-catalog.ts";
export type { Book, BookCategory } from "./book-catalog.ts";
export { bookLastmod, FEED_SIZE } from "./book-feeds.ts";
export { JOB_BOARD_FAULTS, JOB_BOARD_PREFIX } from "./job-board.ts";
export { JOBS_PER_LIST_PAGE, listCompanies } from "./job-catalog.ts";
export type { Company } from "./job-catalog.ts";
