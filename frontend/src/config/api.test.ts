import { describe, expect, it } from "vitest";
import { parseServerConfig } from "./api";

const APP = "http://127.0.0.1:8000";
const GOOD = {
  model: "local",
  models: ["local", "openai:gpt-4.1"],
  dataset: "nycflights13",
  datasets: ["nycflights13", "penguins", 7],
  tables: ["flights"],
  max_rows: 1000,
  sandbox_url: "http://127.0.0.1:8001/sandbox/index.html",
  render_timeout_ms: 5000,
};

describe("parseServerConfig", () => {
  it("reads the fields the UI uses", () => {
    expect(parseServerConfig(GOOD, APP)).toEqual({
      model: "local",
      models: ["local", "openai:gpt-4.1"],
      dataset: "nycflights13",
      datasets: ["nycflights13", "penguins"],
      maxRows: 1000,
      sandboxUrl: "http://127.0.0.1:8001/sandbox/index.html",
      renderTimeoutMs: 5000,
      maxUploadMb: null,
    });
    expect(parseServerConfig({ ...GOOD, max_upload_mb: 1024 }, APP)?.maxUploadMb).toBe(1024);
  });

  it("always offers the default model, first and once", () => {
    const read = (models: unknown) => parseServerConfig({ ...GOOD, model: "openai:gpt-4.1", models }, APP)?.models;
    expect(read(undefined)).toEqual(["openai:gpt-4.1"]);
    expect(read(["local", "openai:gpt-4.1", 3])).toEqual(["openai:gpt-4.1", "local"]);
  });

  it("refuses a sandbox on the app's own origin", () => {
    expect(parseServerConfig({ ...GOOD, sandbox_url: `${APP}/sandbox/index.html` }, APP)).toBeNull();
  });

  it.each([
    ["a relative sandbox URL", { sandbox_url: "/sandbox/index.html" }],
    ["a javascript: sandbox URL", { sandbox_url: "javascript:alert(1)" }],
    ["no watchdog", { render_timeout_ms: undefined }],
    ["a zero watchdog", { render_timeout_ms: 0 }],
  ])("refuses %s", (_name, change) => {
    expect(parseServerConfig({ ...GOOD, ...change }, APP)).toBeNull();
  });

  it("refuses what is not an object", () => {
    expect(parseServerConfig(null, APP)).toBeNull();
    expect(parseServerConfig([GOOD], APP)).toBeNull();
  });
});
