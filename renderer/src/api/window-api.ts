import type { MsoApi } from '../../../preload/api/create-api';

declare global {
  interface Window {
    msoApi?: MsoApi;
  }
}

/** The API the preload (or the end-to-end harness) exposed on the window. */
export function getWindowApi(): MsoApi {
  if (!window.msoApi) {
    throw new Error('The console bridge is missing: the UI must be opened by the MSO Admin Console app.');
  }
  return window.msoApi;
}
