import { describe, expect, it } from "vitest";
import { newArtifact } from "../store/artifacts";
import { addOpenedTemplate, escapeMarkdown, openedText } from "./open";
import { parseOpenedTemplate, type OpenedTemplate } from "./parse";
import { artifactJson, dataJson, templateJson } from "./testing";

function opened(overrides: { artifactId?: string; description?: string } = {}): OpenedTemplate {
  const value = parseOpenedTemplate({
    template: templateJson({ description: overrides.description ?? "" }),
    artifact: artifactJson({ artifact_id: overrides.artifactId ?? "art_9" }),
    data: dataJson(),
  });
  if (value === null) throw new Error("fixture does not parse");
  return value;
}

describe("addOpenedTemplate", () => {
  it("adds an entry naming the template, with a live artifact at the saved parameters", () => {
    const state = addOpenedTemplate({ messages: [], artifacts: {}, activeArtifact: null }, opened(), "m1");
    expect(state.messages).toEqual([expect.objectContaining({ id: "m1", role: "assistant", status: "done", artifactKey: "art_9" })]);
    expect(state.messages[0]?.role === "assistant" && state.messages[0].markdown).toBe("Opened template “Flights from an origin by month” (v3)");
    expect(state.activeArtifact).toBe("art_9");
    expect(state.artifacts.art_9).toMatchObject({
      artifactId: "art_9",
      messageId: "m1",
      queryId: "q7",
      queryParams: { origin: "LGA" },
      viewParams: { color: "#dc2626" },
      data: { rows: [[1, 700], [2, 650]], rowCount: 2 },
      fetchedAt: "2026-11-21T09:00:00Z",
      prompt: "Number of flights from JFK by month",
      template: { id: "tpl_1", version: 3, name: "Flights from an origin by month" },
      loading: null,
    });
    expect(state.artifacts.art_9?.paramSpecs.map((s) => s.name)).toEqual(["origin"]);
  });

  it("keeps what the chat had and never overwrites an artifact under the same id", () => {
    const existing = newArtifact("art_9", "m0", { artifactId: "art_9", code: "x", language: "tsx", queryId: null }, null);
    const state = addOpenedTemplate({ messages: [{ id: "u0", role: "user", text: "hi" }], artifacts: { art_9: existing }, activeArtifact: "art_9" }, opened(), "m1");
    expect(state.messages.map((m) => m.id)).toEqual(["u0", "m1"]);
    expect(Object.keys(state.artifacts)).toEqual(["art_9", "art_9@m1"]);
    expect(state.artifacts.art_9).toBe(existing);
    expect(state.activeArtifact).toBe("art_9@m1");
  });
});

describe("openedText", () => {
  it("shows the name as typed, with the description below", () => {
    expect(escapeMarkdown("*Top* [10] #1")).toBe("\\*Top\\* \\[10\\] \\#1");
    expect(openedText(opened({ description: "Per month" }).template)).toBe("Opened template “Flights from an origin by month” (v3)\n\nPer month");
  });
});
