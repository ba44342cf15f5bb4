import { liveKitConnectSources } from './serve-console';

describe("the console's connect sources for LiveKit", () => {
  it('allows the signalling socket and its HTTP validation on the LiveKit host, in the same security', () => {
    expect(liveKitConnectSources('wss://video.example.org')).toEqual([
      'wss://video.example.org',
      'https://video.example.org',
    ]);
    expect(liveKitConnectSources('ws://127.0.0.1:7880')).toEqual([
      'ws://127.0.0.1:7880',
      'http://127.0.0.1:7880',
    ]);
  });

  it('adds nothing while video is not configured', () => {
    expect(liveKitConnectSources(undefined)).toEqual([]);
  });
});
