import { describe, expect, it } from "vitest";
import {
  commitDraftRequest,
  connectSourceRequest,
  conversationDatasetsRequest,
  deleteDatasetRequest,
  discardDraftRequest,
  parseConversationDatasets,
  patchDatasetRequest,
} from "./api";

describe("datasets API requests", () => {
  it("commits a draft with only the fields given", () => {
    expect(commitDraftRequest("d/1", { name: "sales" })).toEqual({ method: "POST", url: "/api/datasets/drafts/d%2F1/commit", body: { name: "sales" } });
    expect(commitDraftRequest("d1", { name: "sales", description: "Sales", overrides: { zip: "VARCHAR" }, descriptions: { zip: "Postcode" } }).body).toEqual({
      name: "sales",
      description: "Sales",
      overrides: { zip: "VARCHAR" },
      descriptions: { zip: "Postcode" },
    });
    expect(discardDraftRequest("d1")).toEqual({ method: "DELETE", url: "/api/datasets/drafts/d1" });
  });

  it("patches a dataset's name, description and column descriptions", () => {
    expect(patchDatasetRequest("sales", { name: "sales_eu" })).toEqual({ method: "PATCH", url: "/api/datasets/sales", body: { name: "sales_eu" } });
    expect(patchDatasetRequest("sales", { description: "", columns: { day: { description: "Sale day" }, amount: { role: "measure" } } }).body).toEqual({
      description: "",
      columns: { day: { description: "Sale day" }, amount: { role: "measure" } },
    });
  });

  it("deletes with confirm=true and sets a conversation's datasets with PUT", () => {
    expect(deleteDatasetRequest("sales")).toEqual({ method: "DELETE", url: "/api/datasets/sales?confirm=true" });
    expect(conversationDatasetsRequest("c 1", ["a", "b"])).toEqual({ method: "PUT", url: "/api/conversations/c%201/datasets", body: { datasets: ["a", "b"] } });
    expect(parseConversationDatasets({ id: "c1", datasets: ["a", 1] })).toEqual(["a"]);
    expect(parseConversationDatasets({ id: "c1" })).toBeNull();
  });

  it("connects a source, leaving out a blank schema", () => {
    expect(connectSourceRequest({ name: "pg", url: "postgresql://u:p@h/db", schema: " " })).toEqual({
      method: "POST",
      url: "/api/sources",
      body: { name: "pg", url: "postgresql://u:p@h/db" },
    });
    expect(connectSourceRequest({ name: "pg", url: "postgresql://h/db", schema: " analytics " }).body).toEqual({ name: "pg", url: "postgresql://h/db", schema: "analytics" });
  });
});
