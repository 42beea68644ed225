import { callFile, segment, type ApiRequest, type ApiResult, type DownloadedFile } from "../lib/http";
import type { JsonObject } from "../lib/json";
import { buildDataRequest } from "../query/api";
import type { ArtifactRecord } from "../store/types";
import { usableSchema, viewParamValues } from "./viewParams";

/** An artifact's parameters as they are on screen: what a template or a download keeps. */
export interface EffectiveParams {
  queryParams: JsonObject;
  viewParams: JsonObject;
}

/**
 * The current effective values: every declared query parameter (its default when unset) and
 * every declared view parameter (defaults included), so a saved copy does not depend on
 * today's defaults.
 */
export function effectiveParams(record: ArtifactRecord): EffectiveParams {
  return {
    queryParams: buildDataRequest(record.paramSpecs, record.queryParams, false).params,
    viewParams: viewParamValues(usableSchema(record.code), record.viewParams),
  };
}

/** The server refuses longer titles. */
export const TITLE_MAX = 200;

/** `POST /api/artifacts/{id}/standalone`: one self-contained HTML page of the chart. */
export function standaloneRequest(artifactId: string, params: EffectiveParams, title: string): ApiRequest {
  return {
    method: "POST",
    url: `/api/artifacts/${segment(artifactId)}/standalone`,
    body: { query_params: params.queryParams, view_params: params.viewParams, title: title.trim().slice(0, TITLE_MAX) },
  };
}

/** Asks the server for the page; the caller saves it. */
export function fetchStandalone(artifactId: string, params: EffectiveParams, title: string): Promise<ApiResult<DownloadedFile>> {
  return callFile(standaloneRequest(artifactId, params, title));
}
