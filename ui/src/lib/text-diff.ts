/** Where two texts differ: the common start and end, and the different middle of each. */
export interface TextDiff {
  prefix: string;
  before: string;
  after: string;
  suffix: string;
}

/**
 * Splits two texts into their common prefix, the differing middles and their common suffix, so a
 * changed value can mark only what changed ("Item 1" → "Item 1, revised" marks ", revised").
 * Cuts never split a surrogate pair.
 */
export function textDiff(a: string, b: string): TextDiff {
  const limit = Math.min(a.length, b.length);
  let start = 0;
  while (start < limit && a[start] === b[start]) start++;
  let end = 0;
  while (end < limit - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  // Step back to whole characters: never cut between the two halves of a surrogate pair.
  if (start > 0 && isLowSurrogate(a.charCodeAt(start))) start--;
  if (end > 0 && isLowSurrogate(a.charCodeAt(a.length - end))) end--;
  return {
    prefix: a.slice(0, start),
    before: a.slice(start, a.length - end),
    after: b.slice(start, b.length - end),
    suffix: a.slice(a.length - end),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
