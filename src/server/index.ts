/** The HTTP server: the API under /api/, the event stream, and the web app. */
export { startServer, DEFAULT_HOST, DEFAULT_PORT, type ServerOptions, type TrawlServer } from "./server.ts";
export { EventHub, type NumberedEvent } from "./event-hub.ts";
