import { describe, expect, it } from "vitest";
import { dependentsText, descriptionPatch, initialEdits, isDeletable, isEditable } from "./detail";
import { parseDatasetDetail, type DatasetDetail } from "./parse";
import { detailJson } from "./testing";

function detail(overrides = {}): DatasetDetail {
  const value = parseDatasetDetail(detailJson(overrides));
  if (value === null) throw new Error("fixture does not parse");
  return value;
}

describe("the detail's description edits", () => {
  it("start from the server's descriptions and patch nothing unchanged", () => {
    const d = detail();
    expect(initialEdits(d)).toEqual({ description: "", columns: { day: "Sale day", amount: "" } });
    expect(descriptionPatch(d, initialEdits(d))).toBeNull();
    expect(descriptionPatch(d, { description: "  ", columns: { day: "Sale day " } })).toBeNull();
  });

  it("patch the dataset's description and only the columns that changed, trimmed", () => {
    const d = detail();
    expect(descriptionPatch(d, { description: " Daily sales ", columns: { day: "Sale day", amount: " In euros ", ghost: "x" } })).toEqual({
      description: "Daily sales",
      columns: { amount: { description: "In euros" } },
    });
    expect(descriptionPatch(d, { description: "", columns: { day: "" } })).toEqual({ columns: { day: { description: "" } } });
  });
});

describe("what a dataset allows", () => {
  it("edits uploads only, deletes all but bundled ones", () => {
    expect([isEditable({ kind: "upload" }), isEditable({ kind: "postgres" }), isEditable({ kind: "bundled" })]).toEqual([true, false, false]);
    expect([isDeletable({ kind: "upload" }), isDeletable({ kind: "postgres" }), isDeletable({ kind: "bundled" })]).toEqual([true, true, false]);
  });

  it("names the templates a delete breaks", () => {
    expect(dependentsText({ templates: [] })).toBe("No saved template uses it.");
    expect(dependentsText({ templates: [{ id: "1", name: "Sales by day" }] })).toBe("The template “Sales by day” uses it and will stop working.");
    expect(dependentsText({ templates: [{ id: "1", name: "A" }, { id: "2", name: "B" }, { id: "3", name: "C" }] })).toBe("The templates “A”, “B” and “C” use it and will stop working.");
  });
});
