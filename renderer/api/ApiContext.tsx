import { createContext, useContext, type ReactNode } from 'react';
import type { ControlApi } from '../../app/control/contract.ts';

/** What views need from the host connection: the API for commands and a way to re-read everything. */
export interface ApiContextValue {
  readonly api: ControlApi;
  readonly refresh: () => void;
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
