import { describe, expect, it } from "vitest";
import { columnNotes, commitBody, initialReview, reviewProblem, suggestedName, typeOptions } from "./review";
import { draft } from "./testing";

describe("the review form", () => {
  it("starts from the server's table name, the inferred types and no descriptions", () => {
    const form = initialReview(draft());
    expect(form).toEqual({
      name: "sales_2024",
      description: "",
      types: { day: "DATE", region: "VARCHAR", amount: "BIGINT" },
      descriptions: { day: "", region: "", amount: "" },
    });
    expect(initialReview(draft({ table_name: "_2024 Sales" })).name).toBe("t_2024_sales");
  });

  it("suggests a free name when the table name is taken", () => {
    expect(suggestedName("sales", ["sales"])).toBe("sales_2");
    expect(suggestedName("sales", ["sales", "sales_2"])).toBe("sales_3");
    expect(suggestedName("a".repeat(63), ["a".repeat(63)])).toBe(`${"a".repeat(61)}_2`);
  });

  it("validates the name against the pattern and the datasets there are", () => {
    const form = initialReview(draft());
    expect(reviewProblem(form, ["nycflights13"])).toBeNull();
    expect(reviewProblem({ ...form, name: "Sales" }, [])).toMatch(/lower-case letters/);
    expect(reviewProblem({ ...form, name: " sales_2024 " }, ["sales_2024"])).toBe("A dataset named “sales_2024” already exists.");
    expect(reviewProblem({ ...form, name: "  " }, [])).toBe("Give the dataset a name.");
  });

  it("sends only the name when nothing else changed", () => {
    const d = draft();
    expect(commitBody(initialReview(d), d)).toEqual({ name: "sales_2024" });
  });

  it("sends changed types as overrides and non-blank descriptions, trimmed", () => {
    const d = draft();
    const form = initialReview(d);
    const edited = {
      name: " sales ",
      description: "  Daily sales by region ",
      types: { ...form.types, amount: "DECIMAL(18,2)", day: "DATE" },
      descriptions: { ...form.descriptions, region: " Sales region ", day: "   " },
    };
    expect(commitBody(edited, d)).toEqual({
      name: "sales",
      description: "Daily sales by region",
      overrides: { amount: "DECIMAL(18,2)" },
      descriptions: { region: "Sales region" },
    });
  });

  it("offers the usual types, and the inferred one first when it is another", () => {
    expect(typeOptions("BIGINT")).toEqual(["VARCHAR", "BIGINT", "DOUBLE", "DECIMAL(18,2)", "DATE", "TIMESTAMP", "TIME", "BOOLEAN"]);
    expect(typeOptions("TIMESTAMP WITH TIME ZONE")[0]).toBe("TIMESTAMP WITH TIME ZONE");
  });

  it("notes thousands separators and formula-looking cells", () => {
    const [day, region, amount] = draft().columns;
    expect(day && columnNotes(day)).toEqual([]);
    expect(region && columnNotes(region)).toEqual([{ kind: "formula", text: "1 cell looks like a spreadsheet formula (=, +, -, @): kept as text, and escaped in CSV exports." }]);
    expect(amount && columnNotes(amount)).toEqual([{ kind: "thousands", text: "Numbers with thousands separators (1,234) were read as numbers." }]);
  });
});
