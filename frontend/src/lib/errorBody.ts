import { booleanField, stringField } from "./json";

/** The one JSON error shape, shared by HTTP errors, `error` events and failed Spark jobs. */
export interface ErrorBody {
  code: string;
  message: string;
  stage: string | null;
  recoverable: boolean;
  trace_id: string | null;
}

/** Reads the one JSON error shape from an untrusted object, with safe defaults. */
export function parseErrorBody(obj: Record<string, unknown>): ErrorBody {
  return {
    code: stringField(obj, "code", "error"),
    message: stringField(obj, "message", "Something went wrong."),
    stage: stringField(obj, "stage", null),
    recoverable: booleanField(obj, "recoverable", false),
    trace_id: stringField(obj, "trace_id", null),
  };
}
