/**
 * Security headers on every answer (through @fastify/helmet): the app runs only its own scripts
 * (a CSP without inline scripts), is never framed by another page (`frame-ancestors 'none'`),
 * has its content types taken as sent (`nosniff`), and leaks no URL in a `Referer`. A route may
 * send a stricter policy of its own (recorded pages: captures.ts).
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/** The web app's Content-Security-Policy directives. */
export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // React sets style properties through the DOM, which a CSP does not govern; the stylesheets are files.
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // The app frames recorded pages, which the server serves sandboxed.
  frameSrc: ["'self'"],
  // trawl serves plain HTTP on loopback; TLS, when wanted, is a proxy's job (docs/security.md).
  upgradeInsecureRequests: null,
};

/** Registers the headers on every route of `fastify`. */
export async function useSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  await fastify.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // Over plain HTTP a browser ignores it; behind a TLS proxy, the proxy decides.
    strictTransportSecurity: false,
  });
}
