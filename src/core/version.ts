/**
 * trawl's version, as package.json states it (core/version.test.ts keeps the two equal): what
 * `trawl --version` prints, the API's health and OpenAPI description report, and HAR files name
 * as their creator. A constant rather than a read of package.json: the bundle has none beside it.
 */
export const TRAWL_VERSION = "0.1.0";
