import { describe, expect, it } from "vitest";
import { mixProblem, pickerOptions, requestDatasets, selectionAfterChange, shownSelection, toggleDataset, type PickableDataset } from "./picker";

const CATALOG: PickableDataset[] = [
  { name: "nycflights13", engine: "duckdb", kind: "bundled" },
  { name: "sales", engine: "duckdb", kind: "upload" },
  { name: "flights_pg", engine: "postgres", kind: "postgres" },
];

describe("the active datasets", () => {
  it("show the default before any pick, and what was picked after", () => {
    expect(shownSelection(null, "nycflights13")).toEqual(["nycflights13"]);
    expect(shownSelection(null, "")).toEqual([]);
    expect(shownSelection([], "nycflights13")).toEqual([]);
    expect(shownSelection(["sales"], "nycflights13")).toEqual(["sales"]);
  });

  it("are sent with a turn only once picked and not empty", () => {
    expect(requestDatasets(null)).toBeNull();
    expect(requestDatasets([])).toBeNull();
    expect(requestDatasets(["sales", "nycflights13"])).toEqual(["sales", "nycflights13"]);
  });
});

describe("toggleDataset", () => {
  it("combines DuckDB datasets, in catalog order", () => {
    expect(toggleDataset(["sales"], "nycflights13", CATALOG)).toEqual(["nycflights13", "sales"]);
    expect(toggleDataset(["nycflights13", "sales"], "nycflights13", CATALOG)).toEqual(["sales"]);
    expect(toggleDataset(["sales"], "sales", CATALOG)).toEqual([]);
  });

  it("never mixes a PostgreSQL source with another dataset", () => {
    expect(toggleDataset(["nycflights13"], "flights_pg", CATALOG)).toEqual(["nycflights13"]);
    expect(toggleDataset(["flights_pg"], "sales", CATALOG)).toEqual(["flights_pg"]);
    expect(toggleDataset([], "flights_pg", CATALOG)).toEqual(["flights_pg"]);
    expect(toggleDataset(["flights_pg"], "flights_pg", CATALOG)).toEqual([]);
  });
});

describe("pickerOptions", () => {
  it("disables a PostgreSQL source while others are checked, with a hint naming them", () => {
    const options = pickerOptions(CATALOG, ["nycflights13", "sales"]);
    expect(options.map((o) => [o.name, o.checked, o.disabled])).toEqual([
      ["nycflights13", true, false],
      ["sales", true, false],
      ["flights_pg", false, true],
    ]);
    expect(options[2]?.hint).toBe("A PostgreSQL source is asked on its own: uncheck “nycflights13”, “sales” first.");
  });

  it("disables the other datasets while a PostgreSQL source is checked", () => {
    const options = pickerOptions(CATALOG, ["flights_pg"]);
    expect(options.map((o) => [o.name, o.checked, o.disabled])).toEqual([
      ["nycflights13", false, true],
      ["sales", false, true],
      ["flights_pg", true, false],
    ]);
    expect(options[0]?.hint).toBe("Uncheck “flights_pg” first: a PostgreSQL source is asked on its own.");
    expect(pickerOptions(CATALOG, []).every((o) => !o.disabled)).toBe(true);
  });

  it("keeps a checked name the catalog lost, so it can be unchecked", () => {
    const options = pickerOptions(CATALOG, ["gone"]);
    expect(options.at(-1)).toEqual({ name: "gone", engine: "duckdb", kind: null, checked: true, disabled: false, hint: "No longer in the catalog." });
    expect(mixProblem("sales", ["gone"], CATALOG)).toBeNull();
  });
});

describe("selectionAfterChange", () => {
  it("follows a rename and drops a deleted dataset; null when the pick did not name it", () => {
    expect(selectionAfterChange(["sales", "nycflights13"], "sales", "sales_eu")).toEqual(["sales_eu", "nycflights13"]);
    expect(selectionAfterChange(["sales", "nycflights13"], "sales", null)).toEqual(["nycflights13"]);
    expect(selectionAfterChange(["nycflights13"], "sales", null)).toBeNull();
    expect(selectionAfterChange(null, "sales", null)).toBeNull();
  });
});
