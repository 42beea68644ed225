import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PickerView } from "./DatasetPicker";
import { pickerOptions, type PickableDataset } from "./picker";
import { ReviewDialog } from "./ReviewDialog";
import { draft } from "./testing";
import { UploadFailure, UploadProgress, UploadZone } from "./UploadZone";

// The markup end-to-end tests and assistive technology rely on, rendered without a DOM.

/** The opening tag of the first element starting with `start` (e.g. `<progress`). */
function tag(html: string, start: string): string {
  const at = html.indexOf(start);
  expect(at, `${start} in ${html}`).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf(">", at) + 1);
}

/** The checkbox of dataset `name`. */
function checkbox(html: string, name: string): string {
  const found = new RegExp(`<input type="checkbox"[^>]*value="${name}"[^>]*>`).exec(html)?.[0];
  expect(found, `checkbox ${name} in ${html}`).toBeDefined();
  return found ?? "";
}

describe("UploadZone", () => {
  it("is a labelled drop zone with a Choose file button and a file input accepting the data formats", () => {
    const html = renderToStaticMarkup(<UploadZone />);
    const zone = tag(html, '<div class="upload-zone"');
    expect(zone).toContain('role="group"');
    expect(zone).toContain('aria-label="Upload a data file"');
    expect(html).toMatch(/<button type="button" class="button-secondary" data-testid="dataset-choose-file">Choose file<\/button>/);
    const input = tag(html, "<input");
    expect(input).toContain('type="file"');
    expect(input).toContain('data-testid="dataset-file-input"');
    expect(input).toContain('accept=".csv,.tsv,.tab,.txt,.parquet,.pq,.json,.ndjson,.jsonl,.xlsx,.gz,.zip"');
  });

  it("shows progress in bytes and percent, with Cancel", () => {
    const html = renderToStaticMarkup(<UploadProgress phase={{ step: "uploading", fileName: "sales.csv", loaded: 512, total: 2048, sent: false }} />);
    const bar = tag(html, "<progress");
    expect(bar).toContain('value="25"');
    expect(bar).toContain('aria-valuenow="25"');
    expect(bar).toContain('aria-label="Upload of sales.csv"');
    expect(bar).toMatch(/aria-valuetext="512 bytes of 2(\.|,)0 KiB \(25%\)"/);
    expect(html).toContain('data-testid="upload-cancel"');
  });

  it("shows an indeterminate bar while the server reads the sent file", () => {
    const html = renderToStaticMarkup(<UploadProgress phase={{ step: "uploading", fileName: "sales.csv", loaded: 2048, total: 2048, sent: true }} />);
    expect(tag(html, "<progress")).not.toContain("value=");
    expect(html).toContain("Reading the file…");
  });

  it("names the file and the server's reason when refused", () => {
    const error = { code: "upload_too_large", message: "over the upload limit of 1024 MiB", stage: null, recoverable: false, trace_id: null };
    const html = renderToStaticMarkup(<UploadFailure phase={{ step: "failed", fileName: "huge.csv", error }} />);
    expect(tag(html, "<div")).toContain('role="alert"');
    expect(tag(html, "<div")).toContain('data-code="upload_too_large"');
    expect(html).toContain("Upload of “huge.csv” refused.</strong> over the upload limit of 1024 MiB");
  });
});

describe("ReviewDialog", () => {
  const html = renderToStaticMarkup(<ReviewDialog draft={draft()} committing={false} error={null} />);

  it("offers the name, a type select per column and Add dataset", () => {
    expect(tag(html, '<input id=')).toContain('value="sales_2024"');
    expect(html).toMatch(/<button type="submit" class="button-primary" data-testid="dataset-commit">Add dataset<\/button>/);
    const amount = tag(html, '<select aria-label="Type of amount"');
    expect(amount).toContain('data-testid="dataset-column-type"');
    expect(html).toContain('<option value="BIGINT" selected="">BIGINT (inferred)</option>');
    expect(html).toContain('<option value="DECIMAL(18,2)">DECIMAL(18,2)</option>');
    expect(html).toContain('aria-label="Description of region"');
  });

  it("shows the problems, the notes, the null counts and the first rows", () => {
    expect(html).toContain("column region: 1 cell looks like a formula");
    expect(html).toContain('data-testid="dataset-formula-warning"');
    expect(html).toContain("Numbers with thousands separators (1,234) were read as numbers.");
    expect(html).toContain('data-testid="dataset-review-preview"');
    expect(html).toContain('<span class="dataset-null">null</span>');
    expect(html).toContain("CSV · 3 rows · 3 columns");
  });

  it("locks the form while committing and shows the server's refusal", () => {
    const busy = renderToStaticMarkup(<ReviewDialog draft={draft()} committing error={{ code: "conflict", message: "dataset 'sales_2024' exists", stage: null, recoverable: false, trace_id: null }} />);
    expect(busy).toMatch(/data-testid="dataset-commit" disabled="">Adding…<\/button>/);
    expect(tag(busy, '<p class="inline-error"')).toContain('role="alert"');
    expect(busy).toContain("dataset &#x27;sales_2024&#x27; exists");
  });
});

describe("PickerView", () => {
  const catalog: PickableDataset[] = [
    { name: "nycflights13", engine: "duckdb", kind: "bundled" },
    { name: "flights_pg", engine: "postgres", kind: "postgres" },
  ];

  it("shows the active datasets as chips and a Change button", () => {
    const html = renderToStaticMarkup(<PickerView shown={["nycflights13"]} options={pickerOptions(catalog, ["nycflights13"])} defaultName="nycflights13" streaming={false} onToggle={() => undefined} />);
    expect(html).toContain('data-testid="dataset-chip" data-name="nycflights13">nycflights13</li>');
    expect(tag(html, "<button")).toContain('aria-expanded="false"');
    expect(html).not.toContain('type="checkbox"');
  });

  it("disables the PostgreSQL source next to another dataset, with the reason as its description", () => {
    const html = renderToStaticMarkup(
      <PickerView shown={["nycflights13"]} options={pickerOptions(catalog, ["nycflights13"])} defaultName="nycflights13" streaming={false} onToggle={() => undefined} defaultOpen />,
    );
    const pg = checkbox(html, "flights_pg");
    expect(pg).toContain('disabled=""');
    const described = /aria-describedby="([^"]+)"/.exec(pg)?.[1];
    expect(html).toContain(`id="${described}" class="dataset-option-hint">A PostgreSQL source is asked on its own: uncheck “nycflights13” first.</span>`);
    expect(checkbox(html, "nycflights13")).toContain('checked=""');
  });

  it("says the default answers when nothing is checked, and locks while a turn streams", () => {
    const html = renderToStaticMarkup(<PickerView shown={[]} options={pickerOptions(catalog, [])} defaultName="nycflights13" streaming onToggle={() => undefined} defaultOpen />);
    expect(html).toContain("nycflights13 <span class=\"dataset-note\">(default)</span>");
    expect(html).toContain("None checked: the default dataset, nycflights13, answers.");
    expect(tag(html, "<button")).toContain('disabled=""');
    expect(tag(html, "<fieldset")).toContain('disabled=""');
  });
});
