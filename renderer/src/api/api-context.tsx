/**
 * The renderer reaches main only through the contract's API object. It is handed in from the
 * outside (the preload's `window.msoApi`, or a test double), never built here.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { MsoApi } from '../../../preload/api/create-api';

const ApiContext = createContext<MsoApi | null>(null);

export function ApiProvider({ api, children }: { api: MsoApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): MsoApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside an ApiProvider');
  return api;
}
