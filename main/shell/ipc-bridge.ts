/** Connects Electron's ipcMain to the dispatcher: one handle() per contract channel, nothing else. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { invokeChannelNames, wireInvokeChannel } from '../../preload/api/contract';
import type { Dispatcher } from '../ipc/dispatcher';
import type { SenderInfo } from '../ipc/sender-policy';

export function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame ? frame === event.sender.mainFrame : false,
  };
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, dispatcher: Dispatcher): void {
  for (const channel of invokeChannelNames) {
    ipcMain.handle(wireInvokeChannel(channel), (event, request: unknown) =>
      dispatcher.dispatch(channel, senderOf(event), request),
    );
  }
}
