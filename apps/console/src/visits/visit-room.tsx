import '@livekit/components-styles';
import {
  ConnectionQualityIndicator,
  ConnectionStateToast,
  ControlBar,
  GridLayout,
  LiveKitRoom,
  ParticipantTile,
  RoomAudioRenderer,
  useLocalParticipant,
  useTracks,
} from '@livekit/components-react';
import { DisconnectReason, Track } from 'livekit-client';
import { useState } from 'react';
import { deviceFailureMessage } from './visit-labels';

export interface VisitRoomProps {
  serverUrl: string;
  token: string;
  /** The clinician's page has the room beside the patient's facts; the patient's is the room alone. */
  variant: 'clinician' | 'patient';
  /** Whether to publish the camera and the microphone on joining (the patient's device check says). */
  video?: boolean;
  audio?: boolean;
  /** The user left (the leave button) or the visit was ended for everyone. */
  onLeave: (reason: 'left' | 'ended') => void;
}

/**
 * One LiveKit room through LiveKit's own React components: the participants' tiles (each with
 * its connection quality), the local connection's quality, camera, microphone and leave.
 * A refused camera or microphone is explained in words; the call goes on without it.
 */
export function VisitRoom({
  serverUrl,
  token,
  variant,
  video = true,
  audio = true,
  onLeave,
}: VisitRoomProps) {
  const [deviceProblem, setDeviceProblem] = useState<string | null>(null);
  const [connectionProblem, setConnectionProblem] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  return (
    <div className={`visit-room visit-room-${variant}`}>
      {deviceProblem ? (
        <p role="alert" className="device-problem">
          {deviceProblem}
        </p>
      ) : null}
      {connectionProblem ? (
        <div role="alert" className="connection-problem">
          <p>{connectionProblem}</p>
          <button
            type="button"
            onClick={() => {
              setConnectionProblem(null);
              setAttempt((count) => count + 1);
            }}
          >
            Try again
          </button>
        </div>
      ) : null}
      <LiveKitRoom
        key={attempt}
        data-lk-theme="default"
        className="visit-stage"
        serverUrl={serverUrl}
        token={token}
        connect={connectionProblem === null}
        video={video}
        audio={audio}
        onMediaDeviceFailure={(failure, kind) => setDeviceProblem(deviceFailureMessage(failure, kind))}
        onError={(error) =>
          setConnectionProblem(
            variant === 'patient'
              ? 'We could not connect you to the video visit. Check your internet connection, then press Try again.'
              : `Could not connect to the video service (${error.message}). Check the network, then try again.`,
          )
        }
        onDisconnected={(reason) => {
          if (reason === DisconnectReason.CLIENT_INITIATED) onLeave('left');
          else if (
            reason === DisconnectReason.ROOM_DELETED ||
            reason === DisconnectReason.PARTICIPANT_REMOVED
          )
            onLeave('ended');
        }}
      >
        <Stage />
        <RoomAudioRenderer />
        <ConnectionStateToast />
      </LiveKitRoom>
    </div>
  );
}

function Stage() {
  const tracks = useTracks([{ source: Track.Source.Camera, withPlaceholder: true }], {
    onlySubscribed: false,
  });
  const { localParticipant } = useLocalParticipant();
  return (
    <>
      <div className="visit-connection">
        <span>Your connection</span>
        <ConnectionQualityIndicator participant={localParticipant} />
      </div>
      <GridLayout tracks={tracks} className="visit-grid">
        <ParticipantTile />
      </GridLayout>
      <ControlBar
        variation="verbose"
        controls={{
          microphone: true,
          camera: true,
          leave: true,
          screenShare: false,
          chat: false,
          settings: false,
        }}
      />
    </>
  );
}
