import { describe, expect, it } from 'vitest';
import type { Mode, SearchDepth } from '../../shared';
import { trayMenuTemplate } from './tray-menu';

describe('tray menu', () => {
  const calls: string[] = [];
  const actions = {
    setMode: (mode: Mode, depth?: SearchDepth) =>
      calls.push(depth ? `mode:${mode}:${depth}` : `mode:${mode}`),
    quickAsk: () => calls.push('quick'),
    toggleWindow: () => calls.push('toggle'),
    quit: () => calls.push('quit'),
  };

  it('offers the modes as radio items with the current one checked', () => {
    const menu = trayMenuTemplate(
      {
        mode: 'reasoning',
        depth: 'quick',
        windowVisible: true,
        quickAskAccelerator: 'CommandOrControl+Shift+Space',
      },
      actions,
    );
    const radios = menu.filter((item) => item.type === 'radio');
    expect(radios.map((item) => [item.label, item.checked])).toEqual([
      ['Fast Chat', false],
      ['Deep Reasoning', true],
      ['Search', false],
      ['Deep Search', false],
    ]);
    expect(menu.map((item) => item.label).filter(Boolean)).toEqual([
      'Fast Chat',
      'Deep Reasoning',
      'Search',
      'Deep Search',
      'Quick Ask',
      'Hide Ponder',
      'Quit Ponder',
    ]);
  });

  it('switches mode, opens quick ask, toggles the window and quits', () => {
    calls.length = 0;
    const menu = trayMenuTemplate(
      { mode: 'chat', depth: 'quick', windowVisible: false, quickAskAccelerator: null },
      actions,
    );
    for (const id of ['mode-search', 'mode-deep-search', 'quick-ask', 'toggle-window', 'quit']) {
      menu.find((item) => item.id === id)?.click?.();
    }
    expect(calls).toEqual(['mode:search', 'mode:search:deep', 'quick', 'toggle', 'quit']);
    expect(menu.find((item) => item.id === 'toggle-window')?.label).toBe('Show Ponder');
    expect(menu.find((item) => item.id === 'quick-ask')?.accelerator).toBeUndefined();
  });

  it('checks Deep Search, not Search, when Search is deep', () => {
    const menu = trayMenuTemplate(
      { mode: 'search', depth: 'deep', windowVisible: true, quickAskAccelerator: null },
      actions,
    );
    const checked = menu.filter((item) => item.type === 'radio' && item.checked);
    expect(checked.map((item) => item.label)).toEqual(['Deep Search']);
  });
});
