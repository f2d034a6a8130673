/**
 * The browser's end of a WhatsApp call: the microphone, one RTCPeerConnection, the customer's audio.
 *
 * Meta's Calling API signals with whole SDPs (no trickle ICE): we wait for candidate gathering to finish
 * before handing our offer or answer to the API. No STUN or TURN server is configured: Meta's media
 * servers have public addresses and learn ours from the connectivity checks (peer-reflexive candidates).
 */

/** How long to wait for ICE candidates before sending what we have. */
const GATHERING_TIMEOUT_MS = 3_000;

export interface MediaMeters {
  /** RTCPeerConnection's state: new, connecting, connected, disconnected, failed, closed. */
  state: RTCPeerConnectionState;
  /** RTP packets of our microphone sent, and of the customer's audio received (20 ms of audio each). */
  packetsSent: number;
  packetsReceived: number;
  /** The customer's audio level, 0..1. */
  level: number;
}

export class MicrophoneUnavailable extends Error {}

export class CallMedia {
  private readonly audio: HTMLAudioElement;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly mic: MediaStream,
  ) {
    this.audio = new Audio();
    this.audio.autoplay = true;
    pc.ontrack = (event) => {
      this.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void this.audio.play().catch(() => undefined); // autoplay policy: the click that answered allows it
    };
  }

  /** Asks for the microphone (the browser may prompt) and prepares the connection. */
  static async open(): Promise<CallMedia> {
    if (typeof RTCPeerConnection === "undefined" || !navigator.mediaDevices?.getUserMedia) {
      throw new MicrophoneUnavailable("This browser can't make calls (no WebRTC).");
    }
    let mic: MediaStream;
    try {
      mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    } catch (error) {
      const denied = error instanceof DOMException && error.name === "NotAllowedError";
      throw new MicrophoneUnavailable(
        denied ? "Allow the microphone for this site to take calls." : "No microphone was found: connect one to take calls.",
      );
    }
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });
    for (const track of mic.getAudioTracks()) pc.addTrack(track, mic);
    return new CallMedia(pc, mic);
  }

  /** Our answer to the customer's offer (their call). */
  async answer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: "offer", sdp: offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.gathered();
  }

  /** Our offer (our call); Meta's answer comes back through `accept`. */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer({ offerToReceiveAudio: true }));
    return this.gathered();
  }

  /** Meta's answer to our offer: media starts flowing. */
  async accept(answer: string): Promise<void> {
    if (this.pc.signalingState === "have-local-offer") await this.pc.setRemoteDescription({ type: "answer", sdp: answer });
  }

  setMuted(muted: boolean): void {
    for (const track of this.mic.getAudioTracks()) track.enabled = !muted;
  }

  async meters(): Promise<MediaMeters> {
    const meters: MediaMeters = { state: this.pc.connectionState, packetsSent: 0, packetsReceived: 0, level: 0 };
    if (this.pc.connectionState === "closed") return meters;
    const stats = await this.pc.getStats();
    stats.forEach((report: RTCStats & Record<string, unknown>) => {
      if (report.kind !== "audio") return;
      if (report.type === "outbound-rtp") meters.packetsSent += Number(report.packetsSent ?? 0);
      if (report.type === "inbound-rtp") {
        meters.packetsReceived += Number(report.packetsReceived ?? 0);
        meters.level = Math.max(meters.level, Number(report.audioLevel ?? 0));
      }
    });
    return meters;
  }

  close(): void {
    this.pc.close();
    for (const track of this.mic.getTracks()) track.stop();
    this.audio.srcObject = null;
  }

  private async gathered(): Promise<string> {
    if (this.pc.iceGatheringState !== "complete") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
        const pc = this.pc;
        function done() {
          clearTimeout(timer);
          pc.removeEventListener("icegatheringstatechange", check);
          resolve();
        }
        function check() {
          if (pc.iceGatheringState === "complete") done();
        }
        pc.addEventListener("icegatheringstatechange", check);
      });
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error("The browser made no session description.");
    return sdp;
  }
}
