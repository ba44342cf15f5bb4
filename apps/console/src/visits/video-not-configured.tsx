/** What an administrator sets so that video visits work (docs/telehealth.md explains LiveKit). */
export function VideoNotConfigured() {
  return (
    <div role="alert" className="notice video-not-configured">
      <p>
        <strong>Video visits are not configured on this server.</strong> An administrator sets{' '}
        <code>LIVEKIT_URL</code> (the LiveKit server browsers connect to), <code>LIVEKIT_API_KEY</code> and{' '}
        <code>LIVEKIT_API_SECRET</code> in the API&apos;s environment and restarts it. docs/telehealth.md in
        the Homeward repository explains how to run LiveKit with docker compose or use a LiveKit Cloud
        project.
      </p>
    </div>
  );
}
