import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../../preload/api/contract';
import { useApi } from '../api/api-context';

/** Runs `action` when the native menu (or its shortcut) sends `command`. */
export function useMenuCommand(command: MenuCommand, action: () => void): void {
  const api = useApi();
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => api.on.menuCommand((event) => event.command === command && latest.current()), [api, command]);
}
