import { CircleCheck, TriangleAlert, X } from "lucide-react";
import { useToasts } from "./toastStore";
import "./toast.css";

/** The notices, bottom right; success ones fade on their own, errors wait to be dismissed. */
export function Toaster() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind} role={toast.kind === "error" ? "alert" : "status"}>
          {toast.kind === "error" ? <TriangleAlert size={16} aria-hidden /> : <CircleCheck size={16} aria-hidden />}
          <p>{toast.text}</p>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            <X size={14} aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
