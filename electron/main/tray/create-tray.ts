import { Menu, nativeImage, Tray } from 'electron';
import type { TrayMenuActions, TrayMenuState } from './tray-menu';
import { trayMenuTemplate } from './tray-menu';

export interface PonderTray {
  /** Rebuilds the menu (after a mode change or a window shown/hidden). */
  refresh(): void;
  /** The current menu's template, for tests of the mode switch. */
  template(): ReturnType<typeof trayMenuTemplate>;
  dispose(): void;
}

export function createTray(
  iconPath: string,
  state: () => TrayMenuState,
  actions: TrayMenuActions,
): PonderTray {
  const icon = nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 });
  const tray = new Tray(icon);
  tray.setToolTip('Ponder');
  let current = trayMenuTemplate(state(), actions);
  const refresh = (): void => {
    current = trayMenuTemplate(state(), actions);
    tray.setContextMenu(Menu.buildFromTemplate(current));
  };
  tray.on('click', () => actions.toggleWindow());
  refresh();
  return { refresh, template: () => current, dispose: () => tray.destroy() };
}
