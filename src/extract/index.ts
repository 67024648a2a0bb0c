/** Selectors → records: HTML parsing, field extraction, type conversion, link extraction. */
export { loadHtml } from "./load-html.ts";
export { loadXml } from "./load-xml.ts";
export { readSitemap } from "./sitemap.ts";
export type { SitemapContents, SitemapEntry } from "./sitemap.ts";
export type { CheerioAPI } from "./load-html.ts";
export { convertValue, parseBoolean, parseDate, parseNumber, resolveUrl, FIELD_TYPES } from "./convert.ts";
export type { Conversion, FieldType } from "./convert.ts";
export { FIELD_SOURCES } from "./field-spec.ts";
export type { EachSpec, FieldMap, FieldOptions, FieldSource, FieldSpec, PageFacts } from "./field-spec.ts";
export {
  eachOptions,
  extractField,
  extractRecord,
  fieldOptions,
  newWarnings,
  MAX_WARNING_MESSAGES,
} from "./fields.ts";
export type { ExtractWarnings, FieldHits } from "./fields.ts";
export { documentBaseUrl, extractLinks } from "./links.ts";
export { evaluateXPath, xpathProblem } from "./xpath.ts";
export { PAGE_PLACEHOLDER, pageNumberOf, templateLinks, templateUrl } from "./page-template.ts";
export { NotJsonError, EXTRACT_ERRORS } from "./errors.ts";
export {
  extractJsonLinks,
  extractJsonRecord,
  jsonPathProblem,
  parseJsonBody,
  selectJson,
} from "./json-source.ts";
export type { XPathItem, XPathValue } from "./xpath.ts";
export type { FollowRule, FoundLink } from "./links.ts";
