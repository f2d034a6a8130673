import { describe, expect, it } from "vitest";

import { addDays, daysIn, duration, presetRange, rate, todayIn } from "./dates";

describe("the business's days", () => {
  it("takes today in the business's zone, not the browser's", () => {
    const lateUtc = new Date("2026-03-01T20:00:00Z"); // already 2 March in Kolkata, still 1 March in Los Angeles
    expect(todayIn("Asia/Kolkata", lateUtc)).toBe("2026-03-02");
    expect(todayIn("America/Los_Angeles", lateUtc)).toBe("2026-03-01");
    expect(todayIn("Not/AZone", lateUtc)).toBe("2026-03-01");
  });

  it("counts presets back from today, both days included", () => {
    expect(presetRange("today", "2026-03-02")).toEqual({ from: "2026-03-02", to: "2026-03-02" });
    expect(presetRange("7d", "2026-03-02")).toEqual({ from: "2026-02-24", to: "2026-03-02" });
    expect(daysIn("2026-02-01", "2026-03-02")).toBe(30);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });

  it("writes durations and rates as people read them", () => {
    expect(duration(null)).toBe("—");
    expect(duration(42)).toBe("42 s");
    expect(duration(720)).toBe("12 min");
    expect(duration(3 * 3600 + 300)).toBe("3 h 5 min");
    expect(duration(2 * 86400 + 4 * 3600)).toBe("2 d 4 h");
    expect(rate(null)).toBe("—");
    expect(rate(0.9876)).toBe("99%");
    expect(rate(0.05)).toBe("5.0%");
  });
});
