import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { memoryStorage } from "./testing";
import { TokenDialog, TokenForm } from "./TokenDialog";
import { createTokenGate } from "./tokenGate";

const noop = () => undefined;

describe("TokenDialog", () => {
  it("renders nothing while no call waits for the token", () => {
    expect(renderToStaticMarkup(<TokenDialog gate={createTokenGate(memoryStorage())} />)).toBe("");
  });

  it("is a labelled form with a focused password field and a submit button", () => {
    const html = renderToStaticMarkup(<TokenForm rejected={false} onSubmit={noop} onCancel={noop} />);
    expect(html).toMatch(/<dialog[^>]*aria-labelledby="[^"]+-title"/);
    expect(html).toContain("<form>");
    expect(html).toMatch(/<label for="([^"]+)">Token<\/label><input id="\1" type="password"/);
    expect(html).toContain("autofocus");
    expect(html).toMatch(/<button type="submit"[^>]*disabled/);
    expect(html).not.toContain("token-error");
  });

  it("says clearly that a wrong token was refused, as an alert tied to the field", () => {
    const html = renderToStaticMarkup(<TokenForm rejected onSubmit={noop} onCancel={noop} />);
    const error = /<p id="([^"]+)" class="token-error" role="alert"[^>]*>([^<]+)<\/p>/.exec(html);
    expect(error?.[2]).toBe("The server refused that token. Check it and try again.");
    expect(html).toContain(`aria-describedby="${error?.[1]}"`);
    expect(html).toContain('aria-invalid="true"');
  });
});
