import { describe, expect, it } from "vitest";
import { formatFetchedAt } from "../lib/time";
import type { QueryParamSpec } from "../query/result";
import { longHex, parseNumberInput, querySpecToControl } from "./controls";

const base: QueryParamSpec = { name: "p", type: "text", label: null, default: "", options: null, min: null, max: null, step: null };

describe("sidebar controls", () => {
  it("maps query parameter specs to controls", () => {
    expect(querySpecToControl({ ...base, type: "select", default: "JFK", options: ["EWR", "JFK"], label: "Origin" })).toEqual({
      name: "p",
      label: "Origin",
      type: "select",
      default: "JFK",
      options: ["EWR", "JFK"],
    });
    expect(querySpecToControl({ ...base, type: "number", default: 5, min: 0, max: 10, step: 1 })).toMatchObject({ type: "number", min: 0, max: 10, step: 1 });
    expect(querySpecToControl({ ...base, type: "boolean", default: true })).toMatchObject({ type: "boolean", default: true });
    expect(querySpecToControl({ ...base, type: "date", default: "2013-01-01" })).toMatchObject({ type: "date", default: "2013-01-01" });
  });

  it("widens short hex colours for <input type=color>", () => {
    expect(longHex("#AbC")).toBe("#aabbcc");
    expect(longHex("#4F46E5")).toBe("#4f46e5");
  });

  it("reads typed numbers within bounds", () => {
    expect(parseNumberInput("12", 1, 50)).toBe(12);
    expect(parseNumberInput("500", 1, 50)).toBe(50);
    expect(parseNumberInput("-3", 1, null)).toBe(1);
    expect(parseNumberInput("", null, null)).toBeNull();
    expect(parseNumberInput("abc", null, null)).toBeNull();
  });

  it("shows fetch times with seconds, and the date when not today", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    const today = formatFetchedAt("2026-11-21T11:59:07Z", now);
    expect(today).toMatch(/07/);
    expect(today).not.toBe(formatFetchedAt("2026-11-21T11:59:08Z", now));
    expect(formatFetchedAt("2025-01-02T11:59:07Z", now)).toMatch(/2025/);
    expect(formatFetchedAt("not a date", now)).toBe("not a date");
  });
});
