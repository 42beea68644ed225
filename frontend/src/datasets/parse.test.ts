import { describe, expect, it } from "vitest";
import { parseDatasetDetail, parseDatasetList, parseDatasetSummary, parsePreview, parseUploadDraft, totalRows } from "./parse";
import { detailJson, draftJson, summaryJson } from "./testing";

describe("parseDatasetList", () => {
  it("reads datasets with their kind, engine, tables and origin", () => {
    const list = parseDatasetList({
      items: [
        summaryJson(),
        summaryJson({ name: "flights_pg", kind: "postgres", engine: "postgres", is_default: false, origin: "db.local:5432/flights", tables: [{ name: "flights", row_count: null, column_count: 19 }] }),
      ],
    });
    expect(list?.map((d) => [d.name, d.kind, d.engine, d.is_default, d.origin])).toEqual([
      ["nycflights13", "bundled", "duckdb", true, null],
      ["flights_pg", "postgres", "postgres", false, "db.local:5432/flights"],
    ]);
    expect(list?.[0]?.tables[0]).toEqual({ name: "flights", row_count: 336776, column_count: 19 });
    expect(totalRows(list?.[0] ?? { tables: [] })).toBe(336792);
    expect(totalRows(list?.[1] ?? { tables: [] })).toBeNull();
  });

  it("skips malformed items and refuses a body without items", () => {
    expect(parseDatasetList({ items: [summaryJson({ kind: "excel" }), { kind: "upload" }, null, summaryJson({ name: "ok" })] })?.map((d) => d.name)).toEqual(["ok"]);
    expect(parseDatasetList([summaryJson()])).toBeNull();
    expect(parseDatasetList(null)).toBeNull();
  });

  it("treats a postgres kind as the postgres engine even when the engine field is missing", () => {
    expect(parseDatasetSummary(summaryJson({ kind: "postgres", engine: null }))?.engine).toBe("postgres");
    expect(parseDatasetSummary(summaryJson({ engine: "oracle" }))?.engine).toBe("duckdb");
  });
});

describe("parseDatasetDetail", () => {
  it("reads column statistics, the preview and the templates that use it", () => {
    const detail = parseDatasetDetail(detailJson());
    expect(detail).toMatchObject({ name: "sales_2024", kind: "upload", origin: "Sales 2024.csv", templates: [{ id: "tpl_1", name: "Sales by day" }] });
    const table = detail?.tables[0];
    expect(table?.columns[1]).toEqual({ name: "amount", type: "BIGINT", role: "measure", description: "", null_count: 1, distinct_count: 2, min: 56, max: 1234 });
    expect(table?.preview).toEqual({ columns: ["day", "amount"], rows: [["2024-01-02", 1234], ["2024-01-03", 56], ["2024-01-04", null]] });
  });

  it("keeps unknown statistics as null and names a template by its id when it has no name", () => {
    const detail = parseDatasetDetail(
      detailJson({
        tables: [{ name: "t", row_count: 1, column_count: 1, columns: [{ name: "x", null_count: "many", min: { deep: [1] } }], preview: null }],
        templates: [{ id: "tpl_9" }, { name: "no id" }],
      }),
    );
    expect(detail?.tables[0]?.columns[0]).toMatchObject({ null_count: null, distinct_count: null, min: { deep: [1] }, max: null, type: "" });
    expect(detail?.tables[0]?.preview).toEqual({ columns: ["x"], rows: [] });
    expect(detail?.templates).toEqual([{ id: "tpl_9", name: "tpl_9" }]);
  });
});

describe("parseUploadDraft", () => {
  it("reads the inferred columns, a preview given as bare rows, problems and size", () => {
    const draft = parseUploadDraft(draftJson());
    expect(draft).toMatchObject({ draft_id: "d_1", table_name: "sales_2024", format: "csv", row_count: 3, size_bytes: 4096 });
    expect(draft?.columns.map((c) => [c.name, c.type, c.null_count, c.thousands, c.formula_cells])).toEqual([
      ["day", "DATE", 0, false, 0],
      ["region", "VARCHAR", 1, false, 1],
      ["amount", "BIGINT", 1, true, 0],
    ]);
    expect(draft?.preview.columns).toEqual(["day", "region", "amount"]);
    expect(draft?.preview.rows[1]).toEqual(["2024-01-03", null, 56]);
    expect(draft?.problems).toEqual(["column region: 1 cell looks like a formula"]);
  });

  it("refuses an answer without a draft id, a table name or columns", () => {
    expect(parseUploadDraft(draftJson({ draft_id: null }))).toBeNull();
    expect(parseUploadDraft(draftJson({ table_name: 5 }))).toBeNull();
    expect(parseUploadDraft(draftJson({ columns: "day" }))).toBeNull();
    expect(parseUploadDraft("draft")).toBeNull();
  });
});

describe("parsePreview", () => {
  it("reads {columns, rows}, drops rows that are not lists, and falls back to the names given", () => {
    expect(parsePreview({ columns: ["a"], rows: [[1], "x", [2]] })).toEqual({ columns: ["a"], rows: [[1], [2]] });
    expect(parsePreview({ rows: [[1]] }, ["b"])).toEqual({ columns: ["b"], rows: [[1]] });
    expect(parsePreview(undefined, ["c"])).toEqual({ columns: ["c"], rows: [] });
  });
});
