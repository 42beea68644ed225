import { lazy, Suspense } from "react";
import { useUpload } from "./uploadStore";

// The review (with the dataset dialogs' tables) is its own chunk: most visits never upload.
const ReviewDialog = lazy(() => import("./ReviewDialog").then((module) => ({ default: module.ReviewDialog })));

/** Shows the review while an upload awaits it (mounted once, beside the rest of the app). */
export function UploadReview() {
  const phase = useUpload((state) => state.phase);
  if (phase.step !== "review") return null;
  return (
    <Suspense fallback={null}>
      <ReviewDialog key={phase.draft.draft_id} draft={phase.draft} committing={phase.committing} error={phase.error} />
    </Suspense>
  );
}
