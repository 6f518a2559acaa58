import { createContext, useContext, type ReactNode } from 'react';
import type { ControlApi } from '../../app/control/contract.ts';

/** What views need from the host connection: the API for commands and a way to re-read everything. */
export interface ApiContextValue {
  readonly api: ControlApi;
  readonly refresh: () => void;
  /** The native folder picker, in Electron only; resolves with the chosen folder or null if canceled. */
  readonly pickFolder?: (() => Promise<string | null>) | undefined;
  /** Opens one of an item's locations in the file manager, in Electron only; rejects with an ApiError. */
  readonly openLocation?: ((handlerId: string, itemId: string, path: string) => Promise<void>) | undefined;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Provides the window's API to the views. State itself is not here: it lives in the store. */
export function ApiProvider({ value, children }: { readonly value: ApiContextValue; readonly children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (value === null) throw new Error('ApiProvider is missing above this component.');
  return value;
}

/** The control API, for commands (Sync, Stop, resolve...). */
export function useApi(): ControlApi {
  return useApiContext().api;
}

/** Re-reads everything from the host (the Retry button). */
export function useRefresh(): () => void {
  return useApiContext().refresh;
}

/** The native folder picker when the window has one (Electron), else undefined (a browser: type the path). */
export function usePickFolder(): (() => Promise<string | null>) | undefined {
  return useApiContext().pickFolder;
}

/** Browse's "Open" when the window can open folders (Electron), else undefined (a browser: copy the path). */
export function useOpenLocation(): ((handlerId: string, itemId: string, path: string) => Promise<void>) | undefined {
  return useApiContext().openLocation;
}
