import { describe, expect, it } from "vitest";
import { extractCode } from "./extractCode";

const CODE = 'import { Bar } from "recharts";\n\nexport default function A({ data }) {\n  return null;\n}';
const ANSWER = `UA flew the most.\n\n\`\`\`sql\nSELECT 1\n\`\`\`\n\n\`\`\`tsx\n${CODE}\n\`\`\`\n\nSorted by flights.`;

describe("extractCode", () => {
  it("splits a complete answer into before, code and after", () => {
    expect(extractCode(ANSWER)).toEqual({
      before: "UA flew the most.\n\n```sql\nSELECT 1\n```\n\n",
      code: CODE,
      after: "\nSorted by flights.",
      language: "tsx",
      complete: true,
    });
  });

  it("returns the partial code of a block still streaming", () => {
    const partial = ANSWER.slice(0, ANSWER.indexOf("export default"));
    const result = extractCode(partial);
    expect(result.complete).toBe(false);
    expect(result.language).toBe("tsx");
    expect(result.code).toBe('import { Bar } from "recharts";\n\n');
    expect(result.after).toBe("");
  });

  it("is complete exactly when the closing fence arrives, in any split", () => {
    const end = ANSWER.indexOf("\n```\n\nSorted") + 1;
    for (let cut = end - 3; cut <= ANSWER.length; cut += 1) {
      const result = extractCode(ANSWER.slice(0, cut));
      expect(result.complete, `cut at ${cut}`).toBe(cut >= end + 3);
      // A half-arrived closing fence never shows up as code.
      expect(result.code.endsWith("`"), `cut at ${cut}`).toBe(false);
    }
  });

  it("holds back an opening fence split across deltas", () => {
    const head = "Here it is:\n\n";
    expect(extractCode(`${head}\`\``)).toMatchObject({ before: head, language: null, code: "" });
    expect(extractCode(`${head}\`\`\`ts`)).toMatchObject({ before: head, language: null });
    expect(extractCode(`${head}\`\`\`tsx\nexp`)).toMatchObject({ before: head, language: "tsx", code: "exp" });
  });

  it("holds back a closing fence split across deltas", () => {
    const result = extractCode("```tsx\nconst a = 1;\n``");
    expect(result).toMatchObject({ code: "const a = 1;\n", complete: false, after: "" });
  });

  it("returns all markdown as `before` when there is no component block", () => {
    const text = "No chart here.\n\n```sql\nSELECT 1\n```\n";
    expect(extractCode(text)).toEqual({ before: text, code: "", after: "", language: null, complete: false });
  });

  it("does not hold back inline code at the start of a line", () => {
    expect(extractCode("`flights` has 336,776 rows").before).toBe("`flights` has 336,776 rows");
  });

  it("accepts jsx blocks but not ts or typescript", () => {
    expect(extractCode("```jsx\nx\n```").language).toBe("jsx");
    expect(extractCode("```ts\nx\n```").language).toBeNull();
    expect(extractCode("```typescript\nx\n```").language).toBeNull();
  });

  it("ignores a tsx fence that is inside another fenced block", () => {
    const text = "````markdown\n```tsx\nnot this\n```\n````\n\n```tsx\nthis\n```\n";
    expect(extractCode(text)).toMatchObject({ code: "this", complete: true });
  });

  it("uses the first component block only", () => {
    const result = extractCode("```tsx\nfirst\n```\n```tsx\nsecond\n```\n");
    expect(result.code).toBe("first");
    expect(result.after).toBe("```tsx\nsecond\n```\n");
  });
});
