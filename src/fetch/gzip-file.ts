/**
 * Bodies that are gzip files (a sitemap served as `sitemap.xml.gz` with no `Content-Encoding`):
 * unzipped before they are decoded to text. A gzip stream starts with the bytes 1f 8b, which no
 * text page starts with (0x1f is a control character, 0x8b no UTF-8 lead byte).
 */
import zlib from "node:zlib";
import { tooLargeError } from "./errors.ts";

/**
 * `bytes` unzipped when they are a gzip file, else `bytes` themselves.
 *
 * @throws FetchError `too_large` past `maxBytes` unzipped; zlib's error (reason `decode`) for a
 *   corrupt file.
 */
export function gunzipFile(bytes: Buffer, maxBytes: number, url: string): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE")
      throw tooLargeError(url, maxBytes, "decoded");
    throw error;
  }
}
