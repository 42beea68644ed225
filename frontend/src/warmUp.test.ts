import { afterEach, describe, expect, it, vi } from "vitest";

const validateComponent = vi.fn(() => ({ ok: true }));
vi.mock("./artifact/validation", () => ({ validateComponent }));

const { warmUpWhenIdle } = await import("./warmUp");

afterEach(() => {
  vi.unstubAllGlobals();
  validateComponent.mockClear();
});

describe("warmUpWhenIdle", () => {
  it("validates a sample component only once the browser is idle", () => {
    const idle: { run: () => void; timeout?: number }[] = [];
    vi.stubGlobal("window", {
      requestIdleCallback: (run: () => void, options?: { timeout?: number }) => idle.push({ run, timeout: options?.timeout }),
      setTimeout: () => {
        throw new Error("setTimeout is only the fallback");
      },
    });
    warmUpWhenIdle();
    expect(validateComponent).not.toHaveBeenCalled();
    const [scheduled] = idle;
    expect(idle).toHaveLength(1);
    expect(scheduled?.timeout).toBeGreaterThan(0);
    scheduled?.run();
    expect(validateComponent).toHaveBeenCalledTimes(1);
    expect(validateComponent.mock.calls[0]).toEqual([expect.stringContaining("export default function")]);
  });

  it("falls back to a timer where there is no requestIdleCallback", () => {
    const timers: (() => void)[] = [];
    vi.stubGlobal("window", { setTimeout: (run: () => void) => timers.push(run) });
    warmUpWhenIdle();
    expect(validateComponent).not.toHaveBeenCalled();
    expect(timers).toHaveLength(1);
    timers.forEach((run) => run());
    expect(validateComponent).toHaveBeenCalledTimes(1);
  });
});
