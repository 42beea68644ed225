/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const BACKEND = "http://127.0.0.1:8000";

// FastAPI serves dist/ at "/" in production; in `vite dev` the API is reached through the proxy
// and the sandbox on its own origin (the URL /api/config reports).
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Keep index.html free of inline scripts so a strict CSP on the app needs no exceptions.
    modulePreload: { polyfill: false },
    // @babel/parser (the component validator) is most of the bundle; it is one cached file.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      "/api": BACKEND,
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
