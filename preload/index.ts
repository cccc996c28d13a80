/**
 * The preload bridge: exposes the contract's named methods to the renderer over Electron IPC.
 * Never exposes ipcRenderer itself, and passes event payloads on without the Electron event.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './api/create-api';

const api = createApi({
  invoke: (wireChannel, request) => ipcRenderer.invoke(wireChannel, request),
  subscribe: (wireChannel, listener) => {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(wireChannel, forward);
    return () => {
      ipcRenderer.removeListener(wireChannel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('msoApi', api);
