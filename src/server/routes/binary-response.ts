import { Type } from "typebox";

/**
 * The response schema of a route that sends bytes (a file, an image, a page) rather than JSON:
 * OpenAPI shows a binary body of each media type given (a media range such as `image/*` too) and
 * the headers described. Fastify never serializes through it: the routes send a Buffer or a
 * stream, which it passes on as they are.
 */
export function binaryResponse(
  description: string,
  mediaTypes: readonly string[],
  headers: Record<string, string> = {},
) {
  const schema = Type.Unsafe<Uint8Array>({ type: "string", format: "binary" });
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])),
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, about]) => [name, { type: "string", description: about }]),
    ),
  };
}
