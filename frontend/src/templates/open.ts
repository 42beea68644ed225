import type { AssistantMessage } from "../chat/chatState";
import { artifactKeyFor, fromServerArtifact, withResult } from "../store/artifacts";
import type { AppData, ArtifactRecord, TemplateRef } from "../store/types";
import type { OpenedTemplate, Template } from "./parse";

type ChatData = Pick<AppData, "messages" | "artifacts" | "activeArtifact">;

/** Markdown characters escaped, so a template name shows as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

/** What an artifact remembers of its template, for "Save new version". */
export function templateRef(template: Template): TemplateRef {
  return { id: template.id, version: template.version, name: template.name };
}

/** The chat line that stands for an opened template. */
export function openedText(template: Template): string {
  const line = `Opened template “${escapeMarkdown(template.name)}” (v${template.version})`;
  return template.description.trim() === "" ? line : `${line}\n\n${escapeMarkdown(template.description.trim())}`;
}

/**
 * Adds an opened template to the chat: an assistant entry naming it, with the artifact the
 * server registered, rendered from the returned rows with the template's saved query and view
 * parameters. The new artifact becomes the active one.
 */
export function addOpenedTemplate(state: ChatData, opened: OpenedTemplate, messageId: string): ChatData {
  const { template, artifact, data } = opened;
  const key = artifactKeyFor(state.artifacts, artifact.artifact_id, messageId);
  const base = fromServerArtifact(key, messageId, artifact);
  const record: ArtifactRecord = withResult(
    {
      ...base,
      paramSpecs: base.paramSpecs.length > 0 ? base.paramSpecs : template.param_specs,
      queryParams: { ...base.queryParams, ...template.query_params },
      viewParams: { ...template.view_params },
      prompt: artifact.prompt ?? (template.prompt || null),
      template: templateRef(template),
    },
    data,
  );
  const message: AssistantMessage = {
    id: messageId,
    role: "assistant",
    status: "done",
    model: null,
    markdown: openedText(template),
    stage: null,
    toolCalls: [],
    data: [],
    jobs: [],
    artifact: null,
    artifactKey: key,
    error: null,
    usage: null,
    elapsedMs: null,
  };
  return {
    messages: [...state.messages, message],
    artifacts: { ...state.artifacts, [key]: record },
    activeArtifact: key,
  };
}
