import { describe, expect, it } from "vitest";
import { MAX_IMPORT_BYTES, parseImportText, readImportFile } from "./importFile";

const file = (name: string, text: string, size = text.length) => ({ name, size, text: async () => text });

describe("import files", () => {
  it("reads an export file's JSON object", async () => {
    const text = JSON.stringify({ format: "plotwise.template", schema_version: 1, template: { name: "x" } });
    expect(await readImportFile(file("t.json", text))).toEqual({ ok: true, json: { format: "plotwise.template", schema_version: 1, template: { name: "x" } } });
  });

  it("names the file when it is empty, not JSON, or not one object", () => {
    expect(parseImportText("  \n", "a.json")).toEqual({ ok: false, message: "a.json is empty." });
    const broken = parseImportText("{ nope", "b.json");
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/^b\.json is not valid JSON \(/);
    expect(parseImportText("[1, 2]", "c.json")).toMatchObject({ ok: false, message: expect.stringContaining("c.json is not a Plotwise template export") });
    expect(parseImportText('"text"', "d.json").ok).toBe(false);
  });

  it("refuses a file far too large without reading it", async () => {
    let read = false;
    const big = { name: "big.json", size: MAX_IMPORT_BYTES + 1, text: async () => ((read = true), "{}") };
    expect(await readImportFile(big)).toMatchObject({ ok: false, message: expect.stringContaining("big.json is 5.0 MB") });
    expect(read).toBe(false);
  });

  it("reports a file that cannot be read", async () => {
    const unreadable = { name: "gone.json", size: 10, text: async (): Promise<string> => Promise.reject(new Error("NotReadableError")) };
    expect(await readImportFile(unreadable)).toEqual({ ok: false, message: "gone.json could not be read (NotReadableError)." });
  });
});
