import { defineConfig } from "vite";

// The validation policy for Node (see validator/cli.ts): one file, no dependency left external.
export default defineConfig({
  publicDir: false,
  build: {
    ssr: "validator/cli.ts",
    outDir: "dist-validator",
    emptyOutDir: true,
    rollupOptions: { output: { entryFileNames: "validate.mjs" } },
  },
  ssr: { noExternal: true, target: "node" },
});
