/**
 * The validation policy as a command for the server: reads a component's code on stdin and
 * writes `{"problems": [...], "params": schema | null}` on stdout. Built by
 * `vite.validator.config.ts` into one self-contained file, so the server checks imported and
 * exported code with the very module the browser uses.
 */
import { readFileSync } from "node:fs";
import { readParamSchema, validateComponent } from "../src/artifact/validation";

const code = readFileSync(0, "utf8");
const validation = validateComponent(code);
const schema = readParamSchema(code);
process.stdout.write(
  JSON.stringify({
    problems: validation.ok ? [] : validation.problems,
    params: schema.ok ? schema.schema : null,
  }),
);
