/** The browser engine's entry points, loaded on demand by the fetcher (see `browserEngine`). */
export { BrowserPool } from "./browser-pool.ts";
export { fetchInBrowser } from "./fetch-in-browser.ts";
