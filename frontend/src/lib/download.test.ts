import { describe, expect, it } from "vitest";
import { fileNameFor, slugify } from "./download";

describe("slugify", () => {
  it("keeps lower-case letters and digits, one dash between words", () => {
    expect(slugify("Number of flights by carrier")).toBe("number-of-flights-by-carrier");
    expect(slugify("  Top 10 destinations from JFK?! ")).toBe("top-10-destinations-from-jfk");
    expect(slugify("Café — Zürich")).toBe("cafe-zurich");
  });

  it("caps the length without a trailing dash and falls back when nothing is left", () => {
    const slug = slugify(`${"a".repeat(59)} bcd`);
    expect(slug).toBe("a".repeat(59));
    expect(slugify("")).toBe("plotwise");
    expect(slugify("???", "template")).toBe("template");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
  });
});

describe("fileNameFor", () => {
  it("adds the extension to the slug", () => {
    expect(fileNameFor("Monthly number of flights", "html")).toBe("monthly-number-of-flights.html");
    expect(fileNameFor("", "json", "template")).toBe("template.json");
  });
});
