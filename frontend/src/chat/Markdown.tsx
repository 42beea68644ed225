import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";

// Answers may echo text from the data, so they must not be able to load remote images
// (a URL can carry data out); links open in a new tab without a referrer.
const DISALLOWED = ["img"];

const components: Components = {
  a: ({ href, title, children }) => (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

/** Renders (possibly partial) markdown; raw HTML is not rendered, and images are dropped. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  if (!text.trim()) return null;
  return (
    <div className="markdown">
      <ReactMarkdown disallowedElements={DISALLOWED} unwrapDisallowed components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
