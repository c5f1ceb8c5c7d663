// Vite config for the browser UI in web/. Tests have their own vitest.config.ts.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./web"),
  clearScreen: false,
  resolve: {
    // The UI uses the built package, as any embedder does (`npm start` builds first).
    alias: { chipscale: here("./build/src/index.js") },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    fs: {
      // web/ itself, the built library and its wasm (../build), and pre-bundled deps.
      allow: [here("./web"), here("./build"), here("./node_modules")],
    },
  },
  preview: { host: "127.0.0.1" },
  // Pre-bundle the page's dependencies up front so the first load never triggers a re-optimisation reload.
  optimizeDeps: { include: ["comlink", "uplot"] },
  worker: { format: "es" },
  build: {
    outDir: here("./dist-web"),
    emptyOutDir: true,
    target: "es2022",
  },
});
