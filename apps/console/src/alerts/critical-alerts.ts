import type { AlertDto } from '@homeward/contracts';

const PREFERENCE_KEY = 'homeward.criticalAlerts';

/** Sound and a browser notification for new critical alerts: off until the user turns them on. */
export function criticalAlertsEnabled(): boolean {
  try {
    return localStorage.getItem(PREFERENCE_KEY) === 'on';
  } catch {
    return false;
  }
}

export async function setCriticalAlertsEnabled(enabled: boolean): Promise<void> {
  try {
    localStorage.setItem(PREFERENCE_KEY, enabled ? 'on' : 'off');
  } catch {
    // Storage disabled: the choice lasts until reload.
  }
  if (enabled && 'Notification' in window && Notification.permission === 'default')
    await Notification.requestPermission();
}

let audio: AudioContext | undefined;

function beep(): void {
  audio ??= new AudioContext();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 880;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.3);
}

/** No health data in the notification: it may show on a locked screen. */
export function announceCritical(alert: AlertDto): void {
  if (!criticalAlertsEnabled()) return;
  beep();
  if ('Notification' in window && Notification.permission === 'granted')
    new Notification('Critical alert in Homeward', {
      body: 'A new critical alert is in the queue.',
      tag: alert.id,
    });
}
