/**
 * The port through which the host learns what only the desktop knows: idle time, session lock and unlock, and
 * the power source. Electron main adapts `powerMonitor` to it (main/powerMonitorPort.ts); the CLI's `serve` has
 * none, so idle and lock triggers never fire there and AC-only schedules run as on mains power.
 */

/** A change the desktop reports. */
export type SystemSignal = 'lock' | 'unlock' | 'ac' | 'battery';

export interface SystemMonitor {
  /** Seconds since the last keyboard or mouse input; null when this host cannot tell. */
  idleSeconds(): number | null;
  /** True on battery, false on AC power, null when unknown (treated as AC power). */
  onBattery(): boolean | null;
  /** Lock, unlock and power-source changes; returns an unsubscribe function. */
  subscribe(listener: (signal: SystemSignal) => void): () => void;
}

/** A host without a desktop session (CLI `serve`, tests that do not care). */
export const noSystemMonitor: SystemMonitor = {
  idleSeconds: () => null,
  onBattery: () => null,
  subscribe: () => () => {},
};
