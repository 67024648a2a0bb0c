import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** The `trawl serve` the dev server forwards the API to. */
const API_TARGET = process.env.TRAWL_API ?? "http://127.0.0.1:7878";

// The app is served by `trawl serve` from ui/dist at "/"; during development the Vite dev server
// forwards the API (and its event stream) to a running `trawl serve`.
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    port: 5173,
    proxy: {
      "/api": {
        target: API_TARGET,
        // The server refuses foreign Host and Origin headers (DNS rebinding / CSRF guard), so the
        // proxied requests must look like they come from the server's own origin.
        changeOrigin: true,
        configure(proxy) {
          proxy.on("proxyReq", (proxyReq) => {
            if (proxyReq.getHeader("origin")) proxyReq.setHeader("origin", API_TARGET);
          });
        },
      },
    },
  },
});
