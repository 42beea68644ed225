import { describe, expect, it } from "vitest";
import { memoryStorage } from "./testing";
import { createTokenGate, TOKEN_STORAGE_KEY } from "./tokenGate";

describe("createTokenGate", () => {
  it("has no token at first, asks once for concurrent refusals, and keeps the token given", async () => {
    const storage = memoryStorage();
    const gate = createTokenGate(storage);
    expect(gate.token()).toBeNull();
    const first = gate.refused(null, 0);
    const second = gate.refused(null, 0);
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
    const asked = gate.refused("wrong", 0);
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: true });
    expect(gate.token()).toBeNull();
    gate.submit("right");
    expect(await asked).toBe("right");
  });

  it("retries with a newer token without asking when another call already got one", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "newer");
    const gate = createTokenGate(storage);
    expect(await gate.refused(null, 0)).toBe("newer");
    expect(await gate.refused("older", 0)).toBe("newer");
    expect(gate.prompt.getState().open).toBe(false);
  });

  it("ends the waiting calls with null on cancel, and ignores a blank token", async () => {
    const gate = createTokenGate(memoryStorage());
    const asked = gate.refused(null, 0);
    gate.submit("   ");
    expect(gate.prompt.getState().open).toBe(true);
    gate.cancel();
    expect(await asked).toBeNull();
    expect(gate.prompt.getState().open).toBe(false);
    expect(gate.token()).toBeNull();
    // A call sent after the dialog closed asks again.
    expect(gate.declines()).toBe(1);
    void gate.refused(null, gate.declines());
    expect(gate.prompt.getState().open).toBe(true);
  });

  it("does not reopen the dialog for a call that was under way when the user closed it", async () => {
    const gate = createTokenGate(memoryStorage());
    const sentEarly = gate.declines();
    const sentFirst = gate.declines();
    const first = gate.refused(null, sentFirst);
    gate.cancel();
    expect(await first).toBeNull();
    // The straggler (sent before the cancel) answers 401 after it: no new prompt.
    expect(await gate.refused(null, sentEarly)).toBeNull();
    expect(gate.prompt.getState().open).toBe(false);
  });

  it("counts a decline only when the dialog was open", () => {
    const gate = createTokenGate(memoryStorage());
    gate.cancel();
    expect(gate.declines()).toBe(0);
  });
});
