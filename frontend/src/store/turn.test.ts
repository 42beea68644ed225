import { describe, expect, it } from "vitest";
import type { ChatAction } from "../chat/chatState";
import { applyChatAction } from "./turn";
import { CHART_CODE, dataEvent } from "./testing";
import { emptyAppData } from "./types";

function run(actions: ChatAction[]) {
  let state = { ...emptyAppData };
  for (const action of actions) state = { ...state, ...applyChatAction(state, action) };
  return state;
}

const send: ChatAction = { type: "send", userId: "u1", assistantId: "m1", text: "Flights?" };
const done: ChatAction = { type: "event", id: "m1", event: { type: "done", usage: { input_tokens: 0, output_tokens: 0, requests: 1, tool_calls: 1 }, elapsed_ms: 1 } };
const block: ChatAction = { type: "event", id: "m1", event: { type: "text", delta: "```tsx\n" + CHART_CODE + "\n```\n" } };

describe("applyChatAction", () => {
  it("renders a finished block the server never announced as a local artifact", () => {
    const state = run([send, { type: "event", id: "m1", event: dataEvent() }, block, done]);
    expect(state.activeArtifact).toBe("local-m1");
    expect(state.artifacts["local-m1"]).toMatchObject({ artifactId: null, code: CHART_CODE, queryId: "q1", data: { rowCount: 2 } });
  });

  it("keeps the first artifact of an answer and ignores events after its end", () => {
    const artifact = (id: string): ChatAction => ({ type: "event", id: "m1", event: { type: "artifact", artifact_id: id, code: CHART_CODE, language: "tsx", query_id: null, job_id: null } });
    const state = run([send, artifact("a1"), artifact("a2"), done, { type: "event", id: "m1", event: { type: "stage", stage: "answer", message: "" } }]);
    expect(Object.keys(state.artifacts)).toEqual(["a1"]);
    expect(state.artifacts.a1?.data).toBeNull();
    expect(state.turnStage).toBeNull();
  });

  it("ends the stage when the stream breaks", () => {
    const state = run([send, { type: "event", id: "m1", event: { type: "stage", stage: "query", message: "" } }, { type: "ended", id: "m1", error: null }]);
    expect(state.turnStage).toBeNull();
    expect(state.messages[1]).toMatchObject({ status: "error", error: { code: "stream_incomplete" } });
  });
});

describe("applyChatAction, results after the artifact", () => {
  it("binds a result that arrives after the artifact naming it", () => {
    const artifact: ChatAction = { type: "event", id: "m1", event: { type: "artifact", artifact_id: "a1", code: CHART_CODE, language: "tsx", query_id: "q1", job_id: null } };
    const state = run([send, artifact, { type: "event", id: "m1", event: dataEvent({ query_id: "q0" }) }, { type: "event", id: "m1", event: dataEvent() }]);
    expect(state.artifacts.a1).toMatchObject({ queryId: "q1", data: { rowCount: 2 }, queryParams: { origin: "JFK" } });
  });
});
