// Vite config for the browser UI in web/. Tests have their own vitest.config.ts.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The page's Content Security Policy, sent as a header by the dev server (`npm start`) and by
// `vite preview`, and as a <meta> in the HTML for hosts that send none. Only this origin's scripts,
// styles, workers and wasm; connections only back to it (the wasm fetch, Vite's reload socket);
// no inline style (the page sets styles through the DOM, which CSP allows); no framing.
const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
// frame-ancestors works only as a header (a <meta> ignores it, with a console warning).
const headers = {
  "Content-Security-Policy": [...POLICY, "frame-ancestors 'none'"].join("; "),
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export default defineConfig({
  root: here("./web"),
  clearScreen: false,
  plugins: [
    {
      name: "chipscale-csp-meta",
      transformIndexHtml: () => [
        {
          tag: "meta",
          attrs: { "http-equiv": "Content-Security-Policy", content: POLICY.join("; ") },
          injectTo: "head-prepend",
        },
      ],
    },
  ],
  resolve: {
    // The UI uses the built package, as any embedder does (`npm start` builds first).
    alias: { chipscale: here("./build/src/index.js") },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    headers,
    fs: {
      // web/ itself, the built library and its wasm (../build), and pre-bundled deps.
      allow: [here("./web"), here("./build"), here("./node_modules")],
    },
  },
  preview: { host: "127.0.0.1", headers },
  // Pre-bundle the page's dependencies up front so the first load never triggers a re-optimisation reload.
  optimizeDeps: { include: ["comlink", "uplot"] },
  worker: { format: "es" },
  build: {
    outDir: here("./dist-web"),
    emptyOutDir: true,
    target: "es2022",
  },
});
