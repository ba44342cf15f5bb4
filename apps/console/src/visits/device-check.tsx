import { useEffect, useRef, useState } from 'react';
import { deviceFailureMessage, deviceFailureOfError } from './visit-labels';

export interface DeviceCheckResult {
  camera: boolean;
  microphone: boolean;
}

type Check =
  { state: 'asking' } | { state: 'ready'; stream: MediaStream } | { state: 'failed'; message: string };

/** Asks for the camera and microphone together, else each alone: one refused still lets the other work. */
async function openDevices(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch (both: unknown) {
    for (const constraints of [{ audio: true }, { video: true }]) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch {
        // Try the other device alone.
      }
    }
    throw both;
  }
}

/** 0–1: how loud the microphone is now, read from an analyser every animation frame. */
function useMicrophoneLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const read = () => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128);
      setLevel(Math.round(Math.min(1, peak * 2) * 20) / 20);
      frame = requestAnimationFrame(read);
    };
    frame = requestAnimationFrame(read);
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [stream]);
  return level;
}

/**
 * Before joining: the camera's picture and the microphone's level, so the patient sees that
 * both work. The devices are released when this unmounts, for LiveKit to open them again.
 */
export function DeviceCheck({
  onJoin,
  joining,
}: {
  onJoin: (result: DeviceCheckResult) => void;
  joining: boolean;
}) {
  const [check, setCheck] = useState<Check>(() =>
    typeof navigator.mediaDevices?.getUserMedia === 'function'
      ? { state: 'asking' }
      : { state: 'failed', message: 'This browser cannot use a camera here. Try Chrome, Safari or Firefox.' },
  );
  const video = useRef<HTMLVideoElement>(null);
  const stream = check.state === 'ready' ? check.stream : null;
  const level = useMicrophoneLevel(stream);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return;
    openDevices().then(
      (media) => {
        opened = media;
        if (cancelled) media.getTracks().forEach((track) => track.stop());
        else setCheck({ state: 'ready', stream: media });
      },
      (error: unknown) => {
        if (!cancelled)
          setCheck({
            state: 'failed',
            message: deviceFailureMessage(deviceFailureOfError(error), undefined),
          });
      },
    );
    return () => {
      cancelled = true;
      opened?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream]);

  const camera = Boolean(stream?.getVideoTracks().length);
  const microphone = Boolean(stream?.getAudioTracks().length);
  return (
    <section aria-labelledby="device-check-title" className="device-check">
      <h2 id="device-check-title">Check your camera and microphone</h2>
      {check.state === 'asking' ? (
        <p role="status">Your browser may ask to use your camera and microphone. Please allow it.</p>
      ) : null}
      {check.state === 'failed' ? (
        <p role="alert" className="device-problem">
          {check.message}
        </p>
      ) : null}
      <div className="device-preview">
        {camera ? (
          <video ref={video} autoPlay playsInline muted aria-label="Your camera" />
        ) : (
          <p className="muted">
            {check.state === 'ready' ? 'No camera: you can join with sound only.' : 'Camera preview'}
          </p>
        )}
      </div>
      {check.state === 'ready' && !microphone ? (
        <p role="alert" className="device-problem">
          No microphone: the care team will not hear you. Allow the microphone, then reload the page.
        </p>
      ) : null}
      {microphone ? (
        <div className="microphone-level">
          <label htmlFor="microphone-meter">Microphone: say something, the bar moves</label>
          <meter id="microphone-meter" min={0} max={1} value={level} />
        </div>
      ) : null}
      <button
        type="button"
        className="primary big"
        disabled={joining || check.state === 'asking'}
        onClick={() => onJoin({ camera, microphone })}
      >
        {joining ? 'Joining…' : 'Join'}
      </button>
    </section>
  );
}
