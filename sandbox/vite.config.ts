/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { allowedModules } from "./allowedModules.ts";

/**
 * The policy FastAPI sends with /sandbox/. It is also written into the built page as a <meta>
 * tag, so the sandbox stays locked down even when served without the header. Not in dev: the
 * dev server relies on inline scripts and a websocket.
 */
export const SANDBOX_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'";

const CHARSET = '<meta charset="UTF-8" />';

function cspMeta(): Plugin {
  return {
    name: "plotwise-sandbox-csp",
    apply: "build",
    transformIndexHtml(html) {
      if (!html.includes(CHARSET)) throw new Error(`sandbox/index.html must contain ${CHARSET}`);
      // Right after the charset, so the policy is in force before any script or stylesheet.
      return html.replace(CHARSET, `${CHARSET}\n    <meta http-equiv="Content-Security-Policy" content="${SANDBOX_CSP}" />`);
    },
  };
}

const frontendArtifact = (file: string) => fileURLToPath(new URL(`../frontend/src/artifact/${file}`, import.meta.url));

const POLICY_FILE = fileURLToPath(new URL("../backend/plotwise/artifact/component_policy.json", import.meta.url));

export default defineConfig({
  base: "/sandbox/",
  plugins: [react(), cspMeta(), allowedModules(POLICY_FILE)],
  resolve: {
    // One validation policy and one message protocol, shared with the app.
    alias: {
      "@plotwise/validation": frontendArtifact("validation.ts"),
      "@plotwise/protocol": frontendArtifact("protocol.ts"),
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The CSP allows no inline script: no preload polyfill, no inlined assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // react-dom + the allowed recharts parts and icons + react-runner (sucrase) + the validator (Babel).
    chunkSizeWarningLimit: 1400,
  },
  server: {
    port: 5174,
    // The frame's origin is "null", so its module scripts load as CORS requests.
    cors: true,
  },
  preview: { cors: true },
  test: {
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
