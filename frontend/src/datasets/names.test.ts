import { describe, expect, it } from "vitest";
import { formatBytes } from "./format";
import { ACCEPT, datasetNameProblem, fileProblem, suggestDatasetName } from "./names";

describe("datasetNameProblem", () => {
  it("accepts lower-case identifiers of up to 63 characters", () => {
    expect(datasetNameProblem("sales_2024")).toBeNull();
    expect(datasetNameProblem(`a${"b".repeat(62)}`)).toBeNull();
  });

  it("names what is wrong", () => {
    expect(datasetNameProblem("")).toBe("Give the dataset a name.");
    expect(datasetNameProblem(`a${"b".repeat(63)}`)).toBe("A name has at most 63 characters.");
    for (const bad of ["Sales", "2024", "_x", "sales-eu", "sales eu", "../x"]) expect(datasetNameProblem(bad)).toMatch(/lower-case letters/);
    expect(datasetNameProblem("nycflights13", ["nycflights13"])).toBe("A dataset named “nycflights13” already exists.");
  });
});

describe("suggestDatasetName", () => {
  it("makes a valid name of anything", () => {
    expect(suggestDatasetName("Sales 2024")).toBe("sales_2024");
    expect(suggestDatasetName("2024")).toBe("t_2024");
    expect(suggestDatasetName("__Café—Zürich__")).toBe("cafe_zurich");
    expect(suggestDatasetName("???")).toBe("upload");
    expect(suggestDatasetName("x".repeat(100))).toHaveLength(63);
  });
});

describe("fileProblem", () => {
  it("accepts the data formats, compressed or not", () => {
    for (const name of ["a.csv", "A.TSV", "a.parquet", "a.json", "a.ndjson", "a.jsonl", "a.xlsx", "a.csv.gz", "a.zip", "a.txt"]) {
      expect(fileProblem({ name, size: 5 }), name).toBeNull();
    }
    expect(ACCEPT).toContain(".xlsx");
    expect(ACCEPT).toContain(".gz");
  });

  it("refuses an empty file and an extension the server does not read, naming the file", () => {
    expect(fileProblem({ name: "a.csv", size: 0 })).toBe("“a.csv” is empty.");
    expect(fileProblem({ name: "report.pdf", size: 5 })).toMatch(/^“report.pdf” is not a file Plotwise reads/);
    expect(fileProblem({ name: "app.py.gz", size: 5 })).toMatch(/is not a file Plotwise reads/);
  });

  it("refuses a file over the upload limit when the server told it", () => {
    const mib = 1024 * 1024;
    expect(fileProblem({ name: "big.csv", size: 2 * mib }, 1)).toBe(`“big.csv” is ${formatBytes(2 * mib)}, over the upload limit of 1 MiB (PLOTWISE_MAX_UPLOAD_MB).`);
    expect(fileProblem({ name: "big.csv", size: mib }, 1)).toBeNull();
    expect(fileProblem({ name: "big.csv", size: 2 * mib }, null)).toBeNull();
  });
});
