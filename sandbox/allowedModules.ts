import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

/** Prefix of the virtual modules: `@plotwise/allowed/recharts` re-exports what recharts may give. */
export const ALLOWED_PREFIX = "@plotwise/allowed/";

interface PolicyModules {
  modules: { allowed: Record<string, { names: string[] | null }> };
}

/**
 * The names the policy lets a component import from `module`, read from the policy file.
 *
 * @throws Error when the module is not on the allowlist or lists no names (null allows any
 *   name, which a bundle of named re-exports cannot express).
 */
export function allowedNames(policyFile: string, module: string): string[] {
  const policy = JSON.parse(readFileSync(policyFile, "utf8")) as PolicyModules;
  const names = policy.modules.allowed[module]?.names;
  if (!names) throw new Error(`the policy must list the names a component may import from ${module}`);
  return names;
}

/**
 * `@plotwise/allowed/<module>`: the names the validation policy allows from `module`, re-exported
 * by name. The runtime's scope is built from these modules only, so the bundle holds just those
 * parts (tree-shaken: all of lucide-react is ~216 kB gzipped, ~70 icons ~6 kB; recharts keeps
 * only the listed charts) and a component can reach no other name. A name the module does not
 * export fails the build.
 */
export function allowedModules(policyFile: string): Plugin {
  const resolvedPrefix = `\0${ALLOWED_PREFIX}`;
  return {
    name: "plotwise-allowed-modules",
    resolveId: (id) => (id.startsWith(ALLOWED_PREFIX) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith(resolvedPrefix)) return null;
      this.addWatchFile(policyFile);
      const module = id.slice(resolvedPrefix.length);
      return `export { ${allowedNames(policyFile, module).join(", ")} } from ${JSON.stringify(module)};\n`;
    },
  };
}
