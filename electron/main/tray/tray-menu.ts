import type { Mode, SearchDepth } from '../../shared';
import { MODE_LABEL, MODES } from '../../shared';

/** A menu item as Electron's Menu.buildFromTemplate takes it (the subset the tray uses). */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'radio' | 'separator';
  checked?: boolean;
  accelerator?: string;
  click?: () => void;
}

export interface TrayMenuState {
  mode: Mode;
  /** Search's depth; Deep Search is checked instead of Search when it is deep. */
  depth: SearchDepth;
  windowVisible: boolean;
  quickAskAccelerator: string | null;
}

export interface TrayMenuActions {
  setMode(mode: Mode, depth?: SearchDepth): void;
  quickAsk(): void;
  toggleWindow(): void;
  quit(): void;
}

/** The tray menu: the modes and Deep Search as radio items, Quick Ask, Show/Hide Ponder, Quit. */
export function trayMenuTemplate(state: TrayMenuState, actions: TrayMenuActions): TrayMenuItem[] {
  const deep = state.mode === 'search' && state.depth === 'deep';
  return [
    ...MODES.map((mode): TrayMenuItem => ({
      id: `mode-${mode}`,
      label: MODE_LABEL[mode],
      type: 'radio',
      checked: state.mode === mode && !deep,
      click: () => actions.setMode(mode),
    })),
    {
      id: 'mode-deep-search',
      label: 'Deep Search',
      type: 'radio',
      checked: deep,
      click: () => actions.setMode('search', 'deep'),
    },
    { type: 'separator' },
    {
      id: 'quick-ask',
      label: 'Quick Ask',
      ...(state.quickAskAccelerator ? { accelerator: state.quickAskAccelerator } : {}),
      click: () => actions.quickAsk(),
    },
    {
      id: 'toggle-window',
      label: state.windowVisible ? 'Hide Ponder' : 'Show Ponder',
      click: () => actions.toggleWindow(),
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Ponder', click: () => actions.quit() },
  ];
}
