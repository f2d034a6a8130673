import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { bulkContacts, contactQueryParams, contactsExportUrl, INSPECT_BYTES, inspectImport, listContacts, startImport, type FilterDocument } from "./contacts";

let mock: MockApi;
beforeEach(() => {
  mock = mockApi();
});
afterEach(() => mock.restore());

const FILTER: FilterDocument = { all: [{ field: "tags", op: "any", value: ["vip"] }] };

describe("contact queries", () => {
  it("sends the filter as JSON and leaves out what is empty", () => {
    expect(contactQueryParams({ q: "  ravi ", segment: 3, filter: FILTER })).toEqual({ q: "ravi", segment: "3", filter: JSON.stringify(FILTER) });
    expect(contactQueryParams({ q: " ", segment: null, filter: {} })).toEqual({});
  });

  it("lists the first page with the query, then follows `next` by its cursor on this origin", async () => {
    mock.onGet("/api/contacts/").reply((request) => [200, { next: "http://demo.localhost:8000/api/contacts/?cursor=xyz&q=ravi", results: [], params: request.params }]);
    const first = (await listContacts({ q: "ravi", filter: FILTER })) as unknown as { next: string; params: unknown };
    expect(first.params).toEqual({ q: "ravi", filter: JSON.stringify(FILTER), page_size: "50" });
    const second = (await listContacts({ q: "ravi", filter: FILTER }, first.next)) as unknown as { params: unknown };
    expect(second.params).toEqual({ q: "ravi", filter: JSON.stringify(FILTER), page_size: "50", cursor: "xyz" });
  });

  it("builds the CSV export URL from the same parameters", () => {
    expect(contactsExportUrl({})).toBe("/api/contacts/export.csv");
    expect(contactsExportUrl({ segment: 2, filter: FILTER })).toBe(`/api/contacts/export.csv?segment=2&filter=${encodeURIComponent(JSON.stringify(FILTER))}`);
  });

  it("posts a bulk action as given", async () => {
    mock.onPost("/api/contacts/bulk/").reply((request) => [200, { action: "tag", matched: 2, affected: 2, body: JSON.parse(request.data as string) }]);
    const result = (await bulkContacts({ action: "tag", tags: ["vip"], filter: {} })) as unknown as { body: unknown };
    expect(result.body).toEqual({ action: "tag", tags: ["vip"], filter: {} });
  });
});

describe("imports", () => {
  it("inspects only the first megabyte of a big file, keeping its name", async () => {
    let sent: File | null = null;
    mock.onPost("/api/contacts/imports/inspect/").reply((request) => {
      sent = (request.data as FormData).get("file") as File;
      return [200, {}];
    });
    const big = new File([new Uint8Array(INSPECT_BYTES + 5000)], "big.csv", { type: "text/csv" });
    await inspectImport(big);
    expect(sent!.name).toBe("big.csv");
    expect(sent!.size).toBe(INSPECT_BYTES);
  });

  it("starts an import with the mapping as JSON, each tag and the encoding", async () => {
    let form: FormData | null = null;
    mock.onPost("/api/contacts/imports/").reply((request) => {
      form = request.data as FormData;
      return [202, { id: 1, status: "queued" }];
    });
    const file = new File(["phone\n1\n"], "a.csv");
    await startImport({ file, mapping: { Mobile: "phone", Notes: "ignore" }, onExisting: "skip", tags: ["expo", "lead"], encoding: "cp1252" });
    expect((form!.get("file") as File).name).toBe("a.csv");
    expect(JSON.parse(form!.get("mapping") as string)).toEqual({ Mobile: "phone", Notes: "ignore" });
    expect(form!.get("on_existing")).toBe("skip");
    expect(form!.getAll("tags")).toEqual(["expo", "lead"]);
    expect(form!.get("encoding")).toBe("cp1252");
  });
});
