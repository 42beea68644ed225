import { describe, expect, it } from "vitest";
import { parseOpenedTemplate, parseTemplate, parseVersions } from "./parse";
import { artifactJson, dataJson, templateJson } from "./testing";

describe("parseTemplate", () => {
  it("reads every field the UI uses", () => {
    expect(parseTemplate(templateJson())).toMatchObject({
      id: "tpl_1",
      name: "Flights from an origin by month",
      version: 3,
      query_params: { origin: "LGA" },
      view_params: { color: "#dc2626" },
      param_specs: [{ name: "origin", type: "select", default: "JFK" }],
      updated_at: "2026-11-21T08:00:00Z",
    });
  });

  it("refuses a template without id, name, code or version and defaults the rest", () => {
    for (const key of ["id", "name", "code", "version"]) expect(parseTemplate(templateJson({ [key]: null }))).toBeNull();
    expect(parseTemplate({ id: "t", name: "n", code: "c", version: 1 })).toMatchObject({ description: "", query_params: {}, view_params: {}, param_specs: [] });
  });
});

describe("parseVersions", () => {
  it("keeps entries with a version, in the server's order", () => {
    const body = [{ version: 3, name: "c", created_at: "x" }, { name: "no version" }, { version: 1, name: "a", created_at: "y", sql: "SELECT 1" }];
    expect(parseVersions(body)).toEqual([
      { version: 3, name: "c", created_at: "x" },
      { version: 1, name: "a", created_at: "y" },
    ]);
    expect(parseVersions({ items: [] })).toBeNull();
  });
});

describe("parseOpenedTemplate", () => {
  it("reads the template, the registered artifact and its rows", () => {
    const opened = parseOpenedTemplate({ template: templateJson(), artifact: artifactJson({ artifact_id: "art_9" }), data: dataJson() });
    expect(opened?.template.id).toBe("tpl_1");
    expect(opened?.artifact).toMatchObject({ artifact_id: "art_9", sql: expect.stringContaining("$origin"), prompt: "Number of flights from JFK by month" });
    expect(opened?.data).toMatchObject({ query_id: "q7", rows: [[1, 700], [2, 650]], params: { origin: "LGA" } });
  });

  it("refuses an answer missing a part", () => {
    expect(parseOpenedTemplate({ template: templateJson(), artifact: artifactJson() })).toBeNull();
    expect(parseOpenedTemplate({ template: templateJson(), artifact: { code: "x" }, data: dataJson() })).toBeNull();
  });
});
