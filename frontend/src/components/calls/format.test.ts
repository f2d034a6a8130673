import { describe, expect, it } from "vitest";

import { callEventOf, callSummary, customerNumber, duration, isEnded } from "./format";
import { call } from "./testData";

describe("calls' words", () => {
  it("writes durations as m:ss, with hours when a call is that long", () => {
    expect(duration(0)).toBe("0:00");
    expect(duration(75)).toBe("1:15");
    expect(duration(3725)).toBe("1:02:05");
  });

  it("names the customer's number whichever side called", () => {
    expect(customerNumber(call({ direction: "user_initiated", from_number: "16505550101" }))).toBe("+16505550101");
    expect(customerNumber(call({ direction: "business_initiated", to_number: "447700900123" }))).toBe("+447700900123");
  });

  it("sums a call up in the thread", () => {
    expect(callSummary(call({ status: "missed" }))).toBe("Missed call");
    expect(callSummary(call({ status: "missed", direction: "business_initiated" }))).toBe("Unanswered call");
    expect(callSummary(call({ status: "completed", duration_seconds: 151 }), "Ana Agent")).toBe("Incoming call · 2:31 · Ana Agent");
    expect(callSummary(call({ status: "rejected", direction: "business_initiated" }))).toBe("Outgoing call · declined");
  });

  it("knows which states are over", () => {
    expect(["rejected", "missed", "completed", "failed"].every((s) => isEnded(s as never))).toBe(true);
    expect(["connecting", "ringing", "pre_accepted", "accepted"].some((s) => isEnded(s as never))).toBe(false);
  });

  it("reads a live call event and ignores anything else", () => {
    expect(callEventOf({ call_id: 4, status: "ringing", conversation_id: 7 })).toMatchObject({ call_id: 4 });
    expect(callEventOf({ status: "ringing" })).toBeNull();
    expect(callEventOf("call")).toBeNull();
  });
});
