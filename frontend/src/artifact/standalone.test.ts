import { describe, expect, it } from "vitest";
import { newArtifact, withResult } from "../store/artifacts";
import { CHART_CODE, queryResult } from "../store/testing";
import { effectiveParams, standaloneRequest } from "./standalone";

describe("effectiveParams", () => {
  it("sends every declared parameter: query values over defaults, view defaults filled in", () => {
    const base = withResult(newArtifact("a1", "m1", { artifactId: "a1", code: CHART_CODE, language: "tsx", queryId: "q1" }, null), queryResult());
    const record = { ...base, queryParams: { origin: "LGA", stale: 1 }, viewParams: { color: "#ff0000", topN: "not a number" } };
    expect(effectiveParams(record)).toEqual({ queryParams: { origin: "LGA" }, viewParams: { color: "#ff0000", topN: 10 } });
  });
});

describe("standaloneRequest", () => {
  it("POSTs the values and title for the artifact", () => {
    expect(standaloneRequest("art/1", { queryParams: { origin: "LGA" }, viewParams: { color: "#ff0000" } }, "Flights")).toEqual({
      method: "POST",
      url: "/api/artifacts/art%2F1/standalone",
      body: { query_params: { origin: "LGA" }, view_params: { color: "#ff0000" }, title: "Flights" },
    });
  });
});

describe("standaloneRequest titles", () => {
  it("cuts a long title to what the server accepts", () => {
    const body = standaloneRequest("a1", { queryParams: {}, viewParams: {} }, "x".repeat(300)).body;
    expect(body).toMatchObject({ title: "x".repeat(200) });
  });
});
