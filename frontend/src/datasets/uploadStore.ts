import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";
import { clientErrorBody } from "../chat/sse";
import { configStore } from "../config/configStore";
import type { ErrorBody } from "../lib/errorBody";
import type { ApiResult } from "../lib/http";
import { datasetsApi, type CommitBody } from "./api";
import { fileProblem } from "./names";
import type { DatasetDetail, UploadDraft } from "./parse";
import { browserXhr, sendUpload, type UploadHandle, type UploadXhr } from "./upload";

/**
 * Where an upload is: nothing under way (with a note about the last one), bytes on their way
 * (`sent` once all are, while the server reads the file), refused, or read and awaiting review.
 */
export type UploadPhase =
  | { step: "idle"; notice: string | null }
  | { step: "uploading"; fileName: string; loaded: number; total: number; sent: boolean }
  | { step: "failed"; fileName: string; error: ErrorBody }
  | { step: "review"; draft: UploadDraft; committing: boolean; error: ErrorBody | null };

export interface UploadState {
  phase: UploadPhase;
  /** Uploads `file`; false (nothing starts) while another upload or review is under way. */
  start: (file: Blob & { name: string }) => boolean;
  /** Aborts the upload in flight. */
  cancel: () => void;
  /** Forgets a failure or a note. */
  dismiss: () => void;
  /** Commits the draft under review; its dataset, or null (the error shows in the review). */
  commit: (body: CommitBody) => Promise<DatasetDetail | null>;
  /** Drops the draft under review, on the server too; the server's answer. */
  discard: () => Promise<ApiResult<true>>;
}

/** Network the upload uses; tests pass fakes. */
export interface UploadDeps {
  createXhr: () => UploadXhr;
  /** PLOTWISE_MAX_UPLOAD_MB when the server told it, read as each upload starts. */
  limitMb: () => number | null;
  commit: (draftId: string, body: CommitBody) => Promise<ApiResult<DatasetDetail>>;
  discard: (draftId: string) => Promise<ApiResult<true>>;
}

const NOTHING_TO_DISCARD: ApiResult<true> = { ok: true, value: true };

function serverUploadLimit(): number | null {
  const config = configStore.getState().state;
  return config.status === "ready" ? config.config.maxUploadMb : null;
}

/** Creates the upload state machine: idle → uploading → review (→ committed: idle) or failed. */
export function createUploadStore(overrides: Partial<UploadDeps> = {}): StoreApi<UploadState> {
  const deps: UploadDeps = { createXhr: browserXhr, limitMb: serverUploadLimit, commit: datasetsApi.commit, discard: datasetsApi.discard, ...overrides };
  let handle: UploadHandle | null = null;

  return createStore<UploadState>()((set, get) => {
    const setUploading = (update: (phase: Extract<UploadPhase, { step: "uploading" }>) => UploadPhase) => {
      const phase = get().phase;
      if (phase.step === "uploading") set({ phase: update(phase) });
    };

    return {
      phase: { step: "idle", notice: null },
      start: (file) => {
        const step = get().phase.step;
        if (step === "uploading" || step === "review") return false;
        const problem = fileProblem(file, deps.limitMb());
        if (problem !== null) {
          set({ phase: { step: "failed", fileName: file.name, error: clientErrorBody("bad_upload", problem, false) } });
          return true;
        }
        set({ phase: { step: "uploading", fileName: file.name, loaded: 0, total: file.size, sent: false } });
        const current = sendUpload(
          file,
          {
            onProgress: (loaded, total) => setUploading((phase) => ({ ...phase, loaded, total })),
            onSent: () => setUploading((phase) => ({ ...phase, loaded: phase.total, sent: true })),
          },
          deps.createXhr,
        );
        handle = current;
        void current.done.then((outcome) => {
          if (handle !== current) return;
          handle = null;
          if (outcome.kind === "draft") set({ phase: { step: "review", draft: outcome.draft, committing: false, error: null } });
          else if (outcome.kind === "error") set({ phase: { step: "failed", fileName: file.name, error: outcome.error } });
          else set({ phase: { step: "idle", notice: `Upload of “${file.name}” cancelled.` } });
        });
        return true;
      },
      cancel: () => handle?.cancel(),
      dismiss: () => {
        const step = get().phase.step;
        if (step === "failed" || step === "idle") set({ phase: { step: "idle", notice: null } });
      },
      commit: async (body) => {
        const phase = get().phase;
        if (phase.step !== "review" || phase.committing) return null;
        set({ phase: { ...phase, committing: true, error: null } });
        const result = await deps.commit(phase.draft.draft_id, body);
        const now = get().phase;
        if (now.step !== "review" || now.draft.draft_id !== phase.draft.draft_id) return null;
        if (!result.ok) {
          set({ phase: { ...now, committing: false, error: result.error } });
          return null;
        }
        set({ phase: { step: "idle", notice: null } });
        return result.value;
      },
      discard: () => {
        const phase = get().phase;
        if (phase.step !== "review") return Promise.resolve(NOTHING_TO_DISCARD);
        set({ phase: { step: "idle", notice: null } });
        return deps.discard(phase.draft.draft_id);
      },
    };
  });
}

/** The app's upload. */
export const uploadStore = createUploadStore();

export function useUpload<T>(selector: (state: UploadState) => T): T {
  return useStore(uploadStore, selector);
}
