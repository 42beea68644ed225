/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

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
const ICONS_ID = "@plotwise/icons";

/**
 * `@plotwise/icons`: the lucide icons the validation policy allows, re-exported by name, so the
 * bundle holds only those (all of lucide-react is ~216 kB gzipped) and a component can reach no
 * other. Generated from the policy file; a name lucide does not export fails the build.
 */
function allowedIcons(): Plugin {
  const resolved = `\0${ICONS_ID}`;
  return {
    name: "plotwise-allowed-icons",
    resolveId: (id) => (id === ICONS_ID ? resolved : null),
    load(id) {
      if (id !== resolved) return null;
      this.addWatchFile(POLICY_FILE);
      const policy = JSON.parse(readFileSync(POLICY_FILE, "utf8")) as { modules: { allowed: Record<string, { names: string[] | null }> } };
      const names = policy.modules.allowed["lucide-react"]?.names;
      if (!names) throw new Error("the policy must list the lucide-react icons a component may use");
      return `export { ${names.join(", ")} } from "lucide-react";\n`;
    },
  };
}

export default defineConfig({
  base: "/sandbox/",
  plugins: [react(), cspMeta(), allowedIcons()],
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
    // react + recharts + the allowed lucide icons + the validator (Babel's parser).
    chunkSizeWarningLimit: 1600,
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
