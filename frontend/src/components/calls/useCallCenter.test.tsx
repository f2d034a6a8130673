import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as callsApi from "@/lib/api/calls";
import { ApiError } from "@/lib/apiClient";
import { makeQueryClient } from "@/lib/query/client";
import { call, callDetail } from "./testData";
import { useCallCenter } from "./useCallCenter";
import { CallMedia, MicrophoneUnavailable } from "./webrtc";

vi.mock("@/lib/api/calls", () => ({
  listCalls: vi.fn(),
  getCall: vi.fn(),
  answerCall: vi.fn(),
  declineCall: vi.fn(),
  hangUpCall: vi.fn(),
  placeCall: vi.fn(),
}));
vi.mock("./webrtc", () => ({ CallMedia: { open: vi.fn() }, MicrophoneUnavailable: class extends Error {} }));

function fakeMedia() {
  return {
    answer: vi.fn(async () => "v=0\r\nbrowser-answer\r\n"),
    offer: vi.fn(async () => "v=0\r\nbrowser-offer\r\n"),
    accept: vi.fn(async () => undefined),
    meters: vi.fn(async () => ({ state: "connected", packetsSent: 1, packetsReceived: 1, level: 0 })),
    setMuted: vi.fn(),
    close: vi.fn(),
  };
}

function setup() {
  const client = makeQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return renderHook(() => useCallCenter(), { wrapper });
}

let media: ReturnType<typeof fakeMedia>;

beforeEach(() => {
  vi.clearAllMocks();
  media = fakeMedia();
  vi.mocked(CallMedia.open).mockResolvedValue(media as unknown as CallMedia);
  vi.mocked(callsApi.listCalls).mockResolvedValue({ next: null, previous: null, results: [call({ id: 5 })] });
});

describe("useCallCenter", () => {
  it("rings with the customers' calls and answers one with the browser's SDP answer to its offer", async () => {
    vi.mocked(callsApi.getCall).mockResolvedValue(callDetail({ id: 5, sdp_offer: "v=0\r\ncustomer-offer\r\n" }));
    vi.mocked(callsApi.answerCall).mockResolvedValue(callDetail({ id: 5, status: "accepted", agent_id: 1 }));
    const { result } = setup();
    await waitFor(() => expect(result.current.ringing.map((c) => c.id)).toEqual([5]));
    expect(callsApi.listCalls).toHaveBeenCalledWith({ status: "ringing", direction: "user_initiated" });

    await act(() => result.current.answer(result.current.ringing[0]!));
    expect(media.answer).toHaveBeenCalledWith("v=0\r\ncustomer-offer\r\n");
    expect(callsApi.answerCall).toHaveBeenCalledWith(5, "v=0\r\nbrowser-answer\r\n");
    expect(result.current.active?.call.status).toBe("accepted");
    expect(result.current.ringing).toEqual([]); // the call we are on no longer rings here
  });

  it("says who was first when another agent took the call, and lets go of the microphone", async () => {
    vi.mocked(callsApi.getCall).mockResolvedValue(callDetail({ id: 5 }));
    vi.mocked(callsApi.answerCall).mockRejectedValue(new ApiError(409, "call_taken", "Ana answered this call first.", {}));
    const { result } = setup();
    await waitFor(() => expect(result.current.ringing).toHaveLength(1));
    await act(() => result.current.answer(result.current.ringing[0]!));
    expect(result.current.error).toBe("Ana answered this call first.");
    expect(result.current.active).toBeNull();
    expect(media.close).toHaveBeenCalled();
  });

  it("asks for the microphone before anything is sent, and explains when it is refused", async () => {
    vi.mocked(CallMedia.open).mockRejectedValue(new MicrophoneUnavailable("Allow the microphone for this site to take calls."));
    const { result } = setup();
    await waitFor(() => expect(result.current.ringing).toHaveLength(1));
    await act(() => result.current.answer(result.current.ringing[0]!));
    expect(result.current.error).toBe("Allow the microphone for this site to take calls.");
    expect(callsApi.answerCall).not.toHaveBeenCalled();
  });

  it("places a call with the browser's offer and starts the audio once, when Meta's answer arrives", async () => {
    vi.mocked(callsApi.listCalls).mockResolvedValue({ next: null, previous: null, results: [] });
    const placed = callDetail({ id: 9, direction: "business_initiated", status: "connecting", sdp_offer: "v=0\r\nbrowser-offer\r\n" });
    vi.mocked(callsApi.placeCall).mockResolvedValue(placed);
    vi.mocked(callsApi.getCall).mockResolvedValue({ ...placed, status: "ringing", sdp_answer: "v=0\r\nmeta-answer\r\n" });
    const { result } = setup();
    await act(() => result.current.place(70, "100000000000001"));
    expect(callsApi.placeCall).toHaveBeenCalledWith(70, "100000000000001", "v=0\r\nbrowser-offer\r\n");
    act(() => result.current.onEvent({ call_id: 9, conversation_id: 7, status: "ringing", direction: "business_initiated", agent_id: 1, has_sdp_answer: true }));
    await waitFor(() => expect(media.accept).toHaveBeenCalledWith("v=0\r\nmeta-answer\r\n"));
    await waitFor(() => expect(result.current.active?.call.status).toBe("ringing"));
    const reads = vi.mocked(callsApi.getCall).mock.calls.length;
    act(() => result.current.onEvent({ call_id: 9, conversation_id: 7, status: "ringing", direction: "business_initiated", agent_id: 1, has_sdp_answer: true }));
    await waitFor(() => expect(vi.mocked(callsApi.getCall).mock.calls.length).toBeGreaterThan(reads));
    expect(media.accept).toHaveBeenCalledTimes(1);
  });

  it("hangs up and closes the media", async () => {
    vi.mocked(callsApi.getCall).mockResolvedValue(callDetail({ id: 5 }));
    vi.mocked(callsApi.answerCall).mockResolvedValue(callDetail({ id: 5, status: "accepted" }));
    vi.mocked(callsApi.hangUpCall).mockResolvedValue(callDetail({ id: 5, status: "completed", duration_seconds: 3 }));
    const { result } = setup();
    await waitFor(() => expect(result.current.ringing).toHaveLength(1));
    await act(() => result.current.answer(result.current.ringing[0]!));
    await act(() => result.current.hangUp());
    expect(callsApi.hangUpCall).toHaveBeenCalledWith(5);
    expect(media.close).toHaveBeenCalled();
    expect(result.current.active?.call.status).toBe("completed");
  });
});
