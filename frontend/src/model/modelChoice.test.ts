import { describe, expect, it } from "vitest";
import type { ServerConfig } from "../config/api";
import { memoryStorage } from "../store/testing";
import { MODEL_STORAGE_KEY, readPreferredModel, requestModel, resolveModel, savePreferredModel } from "./modelChoice";

const OFFER = { model: "local", models: ["local", "openai:gpt-4.1"] };

const CONFIG: ServerConfig = {
  ...OFFER,
  dataset: "nycflights13",
  datasets: ["nycflights13"],
  maxRows: 1000,
  sandboxUrl: "http://127.0.0.1:8001/sandbox/index.html",
  renderTimeoutMs: 5000,
  maxUploadMb: null,
};

describe("resolveModel", () => {
  it("uses the pick while the server offers it", () => {
    expect(resolveModel("openai:gpt-4.1", OFFER)).toBe("openai:gpt-4.1");
  });

  it("falls back to the default without a pick or with a stale one", () => {
    expect(resolveModel(null, OFFER)).toBe("local");
    expect(resolveModel("anthropic:retired", OFFER)).toBe("local");
  });
});

describe("requestModel", () => {
  it("names nothing until the configuration is known", () => {
    expect(requestModel({ status: "loading" }, "openai:gpt-4.1")).toBeNull();
    const error = { code: "http_500", message: "down", stage: null, recoverable: true, trace_id: null };
    expect(requestModel({ status: "error", error }, "openai:gpt-4.1")).toBeNull();
  });

  it("names the resolved model once it is", () => {
    expect(requestModel({ status: "ready", config: CONFIG }, "openai:gpt-4.1")).toBe("openai:gpt-4.1");
    expect(requestModel({ status: "ready", config: CONFIG }, "gone")).toBe("local");
  });
});

describe("the stored pick", () => {
  it("round-trips through storage under its own key", () => {
    const storage = memoryStorage();
    expect(readPreferredModel(storage)).toBeNull();
    savePreferredModel(storage, "openai:gpt-4.1");
    expect(storage.items.get(MODEL_STORAGE_KEY)).toBe("openai:gpt-4.1");
    expect(readPreferredModel(storage)).toBe("openai:gpt-4.1");
  });

  it("reads an empty value as no pick", () => {
    const storage = memoryStorage();
    storage.setItem(MODEL_STORAGE_KEY, "");
    expect(readPreferredModel(storage)).toBeNull();
  });
});
