/**
 * Hands Electron's `powerMonitor` to the core's scheduler as its `SystemMonitor` port: idle time, lock and unlock
 * (Electron reports these on macOS and Windows only), and the power source. Nothing else: the scheduler owns what
 * the signals mean.
 */
import type { SystemMonitor, SystemSignal } from '../app/schedules/systemMonitor.ts';

/** The part of Electron's `powerMonitor` used here (after `app.whenReady()`). */
export interface PowerMonitorLike {
  getSystemIdleTime(): number;
  isOnBatteryPower(): boolean;
  on(event: PowerEvent, listener: () => void): unknown;
  removeListener(event: PowerEvent, listener: () => void): unknown;
}

type PowerEvent = 'lock-screen' | 'unlock-screen' | 'on-ac' | 'on-battery';

const signals: Record<PowerEvent, SystemSignal> = { 'lock-screen': 'lock', 'unlock-screen': 'unlock', 'on-ac': 'ac', 'on-battery': 'battery' };

/** The scheduler's view of the desktop. */
export function powerMonitorPort(monitor: PowerMonitorLike): SystemMonitor {
  return {
    idleSeconds: () => monitor.getSystemIdleTime(),
    onBattery: () => monitor.isOnBatteryPower(),
    subscribe(listener) {
      const bound = (Object.keys(signals) as PowerEvent[]).map((event) => [event, () => listener(signals[event])] as const);
      for (const [event, handler] of bound) monitor.on(event, handler);
      return () => {
        for (const [event, handler] of bound) monitor.removeListener(event, handler);
      };
    },
  };
}
