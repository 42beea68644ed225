import { describe, expect, it } from "vitest";
import { memoryStorage } from "./testing";
import { createTokenGate, TOKEN_STORAGE_KEY } from "./tokenGate";

describe("createTokenGate", () => {
  it("has no token at first, asks once for concurrent refusals, and keeps the token given", async () => {
    const storage = memoryStorage();
    const gate = createTokenGate(storage);
    expect(gate.token()).toBeNull();
    const first = gate.refused(null);
    const second = gate.refused(null);
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: false });
    gate.submit("  tok-1  ");
    expect(await first).toBe("tok-1");
    expect(await second).toBe("tok-1");
    expect(gate.prompt.getState().open).toBe(false);
    expect(gate.token()).toBe("tok-1");
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe("tok-1");
  });

  it("says the token was refused, and forgets it, when the stored one answers 401", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "wrong");
    const gate = createTokenGate(storage);
    const asked = gate.refused("wrong");
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: true });
    expect(gate.token()).toBeNull();
    gate.submit("right");
    expect(await asked).toBe("right");
  });

  it("retries with a newer token without asking when another call already got one", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "newer");
    const gate = createTokenGate(storage);
    expect(await gate.refused(null)).toBe("newer");
    expect(await gate.refused("older")).toBe("newer");
    expect(gate.prompt.getState().open).toBe(false);
  });

  it("ends the waiting calls with null on cancel, and ignores a blank token", async () => {
    const gate = createTokenGate(memoryStorage());
    const asked = gate.refused(null);
    gate.submit("   ");
    expect(gate.prompt.getState().open).toBe(true);
    gate.cancel();
    expect(await asked).toBeNull();
    expect(gate.prompt.getState().open).toBe(false);
    expect(gate.token()).toBeNull();
    // A later 401 asks again.
    void gate.refused(null);
    expect(gate.prompt.getState().open).toBe(true);
  });
});
