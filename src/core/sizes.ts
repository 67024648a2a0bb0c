/**
 * Sizes as people write them: `512KB`, `10MB`, `1.5GiB`, `2TB`, or plain bytes. Binary units
 * (1 KB = 1024 bytes), case-insensitive. One rule for a definition's `max_body` and `max_memory`
 * and for `TRAWL_MEMORY_CEILING`.
 */

/** A size: a number, then an optional unit. */
export const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?$/i;

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** The bytes of a size as written; `undefined` when the text is no size. */
export function bytesOf(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNIT_BYTES[(match[2] ?? "b").toLowerCase()]!) : undefined;
}
