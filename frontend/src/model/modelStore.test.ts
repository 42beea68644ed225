import { afterEach, describe, expect, it } from "vitest";
import type { ServerConfig } from "../config/api";
import { configStore } from "../config/configStore";
import { memoryStorage } from "../store/testing";
import { MODEL_STORAGE_KEY } from "./modelChoice";
import { createModelStore, currentRequestModel, modelStore } from "./modelStore";

const CONFIG: ServerConfig = {
  model: "local",
  models: ["local", "openai-compatible:qwen"],
  dataset: "nycflights13",
  datasets: ["nycflights13"],
  maxRows: 1000,
  sandboxUrl: "http://127.0.0.1:8001/sandbox/index.html",
  renderTimeoutMs: 5000,
  maxUploadMb: null,
};

describe("createModelStore", () => {
  it("starts from the stored pick and saves a new one", () => {
    const storage = memoryStorage();
    storage.setItem(MODEL_STORAGE_KEY, "local");
    const store = createModelStore(storage);
    expect(store.getState().preferred).toBe("local");
    store.getState().choose("openai-compatible:qwen");
    expect(store.getState().preferred).toBe("openai-compatible:qwen");
    expect(storage.items.get(MODEL_STORAGE_KEY)).toBe("openai-compatible:qwen");
    expect(createModelStore(storage).getState().preferred).toBe("openai-compatible:qwen");
  });
});

describe("currentRequestModel", () => {
  afterEach(() => {
    configStore.setState({ state: { status: "loading" } });
    modelStore.setState({ preferred: null });
  });

  it("reads the app's pick against the loaded configuration", () => {
    modelStore.getState().choose("openai-compatible:qwen");
    expect(currentRequestModel()).toBeNull();
    configStore.setState({ state: { status: "ready", config: CONFIG } });
    expect(currentRequestModel()).toBe("openai-compatible:qwen");
    configStore.setState({ state: { status: "ready", config: { ...CONFIG, models: ["local"] } } });
    expect(currentRequestModel()).toBe("local");
  });
});
