import { describe, expect, it } from "vitest";
import { formatUpdatedAt } from "./time";

describe("formatUpdatedAt", () => {
  const now = new Date(2026, 10, 21, 15, 0);

  it("shows the time today, the day this year and the full date before", () => {
    const today = formatUpdatedAt(new Date(2026, 10, 21, 9, 5).toISOString(), now);
    expect(today).toMatch(/09|9/);
    expect(today).toMatch(/05/);
    expect(formatUpdatedAt(new Date(2026, 2, 3).toISOString(), now)).not.toMatch(/2026/);
    expect(formatUpdatedAt(new Date(2024, 2, 3).toISOString(), now)).toMatch(/2024/);
  });

  it("shows unparseable input as it is", () => {
    expect(formatUpdatedAt("not a date", now)).toBe("not a date");
  });
});
