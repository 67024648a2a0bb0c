import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Where `npm run build:ui` (run by `npm ci` through `prepare`) writes the web app. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../ui/dist/", import.meta.url));

/**
 * Serves the built web app at `/`: its files as they are, and `index.html` for every other path
 * outside `/api/`, so that the app's own routes (`/runs/RUN-…`) load it too.
 */
export async function serveApp(server: FastifyInstance, dir: string): Promise<void> {
  await server.register(fastifyStatic, { root: dir, wildcard: false, index: ["index.html"] });
  server.get("/*", { schema: { hide: true } }, (request, reply) => {
    if (request.url.startsWith("/api/")) return reply.callNotFound();
    return reply.sendFile("index.html");
  });
}
