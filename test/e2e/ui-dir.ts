import { DEFAULT_UI_DIR } from "../../src/server/web-app.ts";

/**
 * The built web app the end-to-end tests serve: ui/dist (built by `npm ci`), or a build of one's
 * own (`vite build --config ui/vite.config.ts --outDir DIR`, then `TRAWL_E2E_UI_DIR=DIR`), so that
 * people working on the app side by side do not rebuild each other's tests' files under them.
 */
export const E2E_UI_DIR = process.env.TRAWL_E2E_UI_DIR ?? DEFAULT_UI_DIR;
