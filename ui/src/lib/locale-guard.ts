/**
 * Some browsers report a language tag that Intl refuses (Chromium started with LANG=C says
 * "en-US@posix"). Libraries that format with `navigator.language` (uPlot) would throw on it, so
 * such a tag reads as "en-US". Imported first, before anything formats.
 */
try {
  new Intl.NumberFormat(navigator.language);
} catch {
  Object.defineProperty(Navigator.prototype, "language", { configurable: true, get: () => "en-US" });
}

export {};
