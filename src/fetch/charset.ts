/**
 * Turning body bytes into text: which charset (BOM, header, `<meta>`, default) and how many bytes
 * did not decode.
 */

/** Where the charset came from, in order of precedence. */
export type CharsetSource = "bom" | "header" | "meta" | "default";

/** A decoded body. */
export interface DecodedBody {
  text: string;
  /** Canonical WHATWG name of the charset used, e.g. `utf-8`, `windows-1252`, `shift_jis`. */
  encoding: string;
  source: CharsetSource;
  /** Approximate count of bytes replaced by U+FFFD (see {@link countInvalidBytes}). */
  invalidBytes: number;
}

/** How many leading bytes are searched for a `<meta>` charset, as browsers' prescan does. */
export const META_PRESCAN_BYTES = 1024;

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf-8" },
  { bytes: [0xfe, 0xff], encoding: "utf-16be" },
  { bytes: [0xff, 0xfe], encoding: "utf-16le" },
];

/**
 * Decodes `bytes` with, in order: a byte-order mark; the `charset` of `contentType`; a
 * `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` within the first
 * {@link META_PRESCAN_BYTES} bytes; else UTF-8. Unknown labels are skipped (the next source
 * decides). A `<meta>` naming UTF-16 means UTF-8, as in the HTML spec (the bytes cannot really be
 * UTF-16 if ASCII `<meta>` was readable). The BOM is not part of the text.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const bom = BOMS.find((candidate) => candidate.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) return decodeWith(bytes.subarray(bom.bytes.length), bom.encoding, "bom");
  const fromHeader = canonicalEncoding(charsetOfContentType(contentType));
  if (fromHeader) return decodeWith(bytes, fromHeader, "header");
  let fromMeta = canonicalEncoding(sniffMetaCharset(bytes));
  if (fromMeta?.startsWith("utf-16")) fromMeta = "utf-8";
  if (fromMeta) return decodeWith(bytes, fromMeta, "meta");
  return decodeWith(bytes, "utf-8", "default");
}

function decodeWith(bytes: Uint8Array, encoding: string, source: CharsetSource): DecodedBody {
  // ignoreBOM: the BOM was already handled above; a stray one later stays in the text. UTF-8, the
  // common case, goes through Buffer: same WHATWG replacement, without a decoder per page.
  let text =
    encoding === "utf-8"
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8")
      : new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  if (encoding === "windows-1252") text = fixWindows1252(text);
  return { text, encoding, source, invalidBytes: countInvalidBytes(bytes, text, encoding) };
}

/** WHATWG windows-1252 for bytes 0x80–0x9F; the five undefined bytes map to their C1 control. */
const WINDOWS_1252_C1 =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/**
 * Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (0x80 → U+0080 instead of €); map the
 * C1 range back. Idempotent, so harmless on a Node that decodes correctly.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_C1[char.charCodeAt(0) - 0x80] ?? char);
}

/**
 * The canonical WHATWG name of a charset label (`latin1` → `windows-1252`), or `undefined` when
 * the label is missing or unknown to TextDecoder.
 */
export function canonicalEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  // A crawl sees a handful of labels, once per page each: remember the answers (null: unknown).
  let known = canonicalNames.get(label);
  if (known === undefined) {
    try {
      known = new TextDecoder(label.trim()).encoding;
    } catch {
      known = null;
    }
    if (canonicalNames.size >= 256) canonicalNames.clear();
    canonicalNames.set(label, known);
  }
  return known ?? undefined;
}

const canonicalNames = new Map<string, string | null>();

/** The `charset` parameter of a Content-Type value, unquoted, or `undefined`. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? "");
  return match?.[2];
}

/** The charset named by a `<meta>` tag within the first bytes, or `undefined`. */
export function sniffMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.length, META_PRESCAN_BYTES),
  ).toString("latin1");
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(tag);
    if (direct) return direct[1];
  }
  return undefined;
}

/**
 * Approximates how many input bytes could not be decoded: the U+FFFD characters in the output
 * minus those the input really encoded (for UTF-8, the bytes EF BF BD; for other charsets a
 * genuine U+FFFD cannot be told apart and is assumed absent). A run of invalid bytes that the
 * decoder folds into one U+FFFD counts once, so this is a lower bound; exact enough to flag a page
 * decoded with the wrong charset.
 */
export function countInvalidBytes(bytes: Uint8Array, text: string, encoding: string): number {
  let replacements = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) replacements++;
  if (replacements === 0 || encoding !== "utf-8") return replacements;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let genuine = 0;
  for (let i = buffer.indexOf(UTF8_FFFD); i !== -1; i = buffer.indexOf(UTF8_FFFD, i + UTF8_FFFD.length))
    genuine++;
  return Math.max(0, replacements - genuine);
}

const UTF8_FFFD = Buffer.from([0xef, 0xbf, 0xbd]);
