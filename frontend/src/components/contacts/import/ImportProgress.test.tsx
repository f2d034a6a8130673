import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ContactImport } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import { ImportProgress } from "./ImportProgress";
import { followImport, MAX_POLL_FAILURES, useImportJob } from "./poll";

vi.mock("@/lib/api/contacts", () => ({ getImport: vi.fn() }));

const job = (overrides: Partial<ContactImport> = {}): ContactImport => ({
  id: 7,
  status: "running",
  file_name: "customers.csv",
  file_size: 1000,
  encoding: "utf-8",
  delimiter: ",",
  mapping: { phone: "phone" },
  on_existing: "update",
  tags: [],
  total_rows: 10000,
  processed_rows: 2500,
  progress: 25,
  created: 2000,
  updated: 300,
  skipped: 0,
  duplicates: 150,
  errors: 50,
  error_report_url: null,
  failure: "",
  created_by_email: "owner@acme.test",
  created_at: "2026-05-01T10:00:00Z",
  started_at: "2026-05-01T10:00:01Z",
  finished_at: null,
  ...overrides,
});

const counter = (label: string) => screen.getByText(label).nextElementSibling?.textContent;

describe("ImportProgress", () => {
  it("shows a running import: the bar at its percentage, rows so far and every counter", () => {
    render(<ImportProgress job={job()} />);
    const bar = screen.getByRole("progressbar", { name: "Import of customers.csv" });
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect((bar.firstElementChild as HTMLElement).style.width).toBe("25%");
    expect(screen.getByText("Importing")).toBeDefined();
    expect(screen.getByText("2,500 of about 10,000 rows")).toBeDefined();
    expect(counter("Created")).toBe("2,000");
    expect(counter("Updated")).toBe("300");
    expect(counter("Skipped (existing)")).toBe("0");
    expect(counter("Merged duplicates")).toBe("150");
    expect(counter("Errors")).toBe("50");
    // No summary or report link until it has finished.
    expect(screen.queryByRole("link", { name: /error report/ })).toBeNull();
  });

  it("waits for a worker while queued", () => {
    render(<ImportProgress job={job({ status: "queued", total_rows: null, processed_rows: 0, progress: 0 })} />);
    expect(screen.getByText("Waiting for a worker…")).toBeDefined();
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("0");
  });

  it("summarises a finished import and links its error report", () => {
    render(
      <ImportProgress
        job={job({
          status: "done",
          processed_rows: 10000,
          progress: 100,
          created: 9000,
          updated: 700,
          duplicates: 200,
          errors: 100,
          finished_at: "2026-05-01T10:00:04Z",
          error_report_url: "/api/contacts/imports/7/errors.csv",
        })}
      />,
    );
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(screen.getByText("10,000 of 10,000 rows")).toBeDefined();
    expect(screen.getByRole("status").textContent).toBe(
      "Processed 10,000 rows in 3 s: 9,000 created, 700 updated, 200 duplicates merged, 100 rows rejected.",
    );
    expect(screen.getByRole("link", { name: "Download the error report (100 rows)" }).getAttribute("href")).toBe(
      "/api/contacts/imports/7/errors.csv",
    );
  });

  it("says why a failed import stopped", () => {
    render(<ImportProgress job={job({ status: "failed", failure: "The worker lost the file" })} />);
    expect(screen.getByRole("alert").textContent).toContain("The import stopped: The worker lost the file.");
    expect(screen.getByText("Failed")).toBeDefined();
  });

  it("tells when it lost touch with a running import", () => {
    render(<ImportProgress job={job()} pollError="Can't reach ConvoNest." stalled />);
    expect(screen.getByRole("alert").textContent).toContain("Lost touch with the import");
  });
});

describe("followImport", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("polls every second until the job is done, handing over each answer", async () => {
    const answers = [job({ processed_rows: 4000 }), job({ processed_rows: 8000 }), job({ status: "done", processed_rows: 10000 })];
    const fetchJob = vi.fn((_id: number) => Promise.resolve(answers.shift()!));
    const onUpdate = vi.fn();
    const done = followImport(7, { fetchJob, onUpdate });

    await vi.advanceTimersByTimeAsync(999);
    expect(fetchJob).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchJob).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetchJob).toHaveBeenCalledTimes(3);
    expect(fetchJob).toHaveBeenCalledWith(7);
    expect(onUpdate.mock.calls.map(([j]) => (j as ContactImport).processed_rows)).toEqual([4000, 8000, 10000]);

    expect((await done)?.status).toBe("done");
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchJob).toHaveBeenCalledTimes(3); // stopped
  });

  it("stops at a failed job", async () => {
    const fetchJob = vi.fn(() => Promise.resolve(job({ status: "failed", failure: "boom" })));
    const done = followImport(7, { fetchJob, onUpdate: vi.fn() });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await done)?.status).toBe("failed");
    await vi.advanceTimersByTimeAsync(3000);
    expect(fetchJob).toHaveBeenCalledTimes(1);
  });

  it("keeps polling through a few failures, then gives up", async () => {
    const fetchJob = vi.fn(() => Promise.reject(new ApiError(502, "backend_unavailable", "Can't reach the server.")));
    const onError = vi.fn();
    const done = followImport(7, { fetchJob, onUpdate: vi.fn(), onError });
    await vi.advanceTimersByTimeAsync(MAX_POLL_FAILURES * 1000 + 5000);
    expect(await done).toBeNull();
    expect(fetchJob).toHaveBeenCalledTimes(MAX_POLL_FAILURES);
    expect(onError).toHaveBeenLastCalledWith("Can't reach the server.", MAX_POLL_FAILURES);
  });

  it("stops when aborted (the page was left)", async () => {
    const fetchJob = vi.fn(() => Promise.resolve(job()));
    const controller = new AbortController();
    const done = followImport(7, { fetchJob, onUpdate: vi.fn(), signal: controller.signal });
    await vi.advanceTimersByTimeAsync(2000);
    controller.abort();
    await done;
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchJob).toHaveBeenCalledTimes(2);
  });
});

describe("useImportJob with ImportProgress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function Live({ initial, onFinished }: { initial: ContactImport; onFinished: () => void }) {
    const { job: current, error, stalled } = useImportJob(initial, onFinished);
    return <ImportProgress job={current} pollError={error} stalled={stalled} />;
  }

  it("moves the bar as the polled job advances and reports the end once", async () => {
    const { getImport } = await import("@/lib/api/contacts");
    const answers = [job({ processed_rows: 5000, progress: 50 }), job({ status: "done", processed_rows: 10000, progress: 100 })];
    vi.mocked(getImport).mockImplementation(() => Promise.resolve(answers.shift()!));
    const onFinished = vi.fn();
    render(<Live initial={job({ status: "queued", processed_rows: 0, progress: 0 })} onFinished={onFinished} />);

    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("0");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("50");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(screen.getByText("Done")).toBeDefined();
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(getImport).toHaveBeenCalledTimes(2);
  });
});
