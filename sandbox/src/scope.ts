import * as AllowedReact from "@plotwise/allowed/react";
import * as AllowedRecharts from "@plotwise/allowed/recharts";
import * as AllowedIcons from "@plotwise/allowed/lucide-react";

/**
 * The only modules `import` can reach inside generated code: for each module on the policy's
 * allowlist, exactly the names it lists. The `@plotwise/allowed/*` modules are generated from the
 * policy file at build time (sandbox/allowedModules.ts), so the bundle holds only these parts and
 * the scope cannot drift from what the validators allow. The validator refuses every other name
 * before the code runs; a name it missed is simply not there.
 */
export const SCOPE_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  react: { ...AllowedReact },
  recharts: { ...AllowedRecharts },
  "lucide-react": { ...AllowedIcons },
};

/** The scope react-runner's `importCode` receives. */
export const SCOPE = { import: SCOPE_MODULES };
