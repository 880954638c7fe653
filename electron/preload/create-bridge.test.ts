import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AnswerEvent, DesktopNotice } from '../shared';
import { BRIDGE_METHODS, DESKTOP_CHANNELS, IPC_CHANNELS } from '../shared';
import type { IpcLike } from './create-bridge';
import { createBridge } from './create-bridge';

/** An ipcRenderer stand-in that records what the bridge sends and lets the test play main's part. */
class RecordingIpc extends EventEmitter implements IpcLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  answer: (channel: string, args: unknown[]) => Promise<unknown> = async () => ({
    ok: true,
    value: undefined,
  });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.answer(channel, args);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  /** What main's webContents.send would deliver: an event object first, then the payload. */
  fromMain(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: 'the IPC event object', ports: [] }, ...args);
  }
}

describe('preload bridge (SECURITY.md #2)', () => {
  it('exposes exactly the allow-listed names, each a function', () => {
    const bridge = createBridge(new RecordingIpc());
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHODS].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.keys(bridge)).not.toContain('ipcRenderer');
    expect(Object.keys(bridge)).not.toContain('invoke');
    expect(Object.keys(bridge)).not.toContain('send');
  });

  it('sends requests on fixed channels and turns a dead main process into a clear error', async () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    ipc.answer = async () => ({ ok: true, value: [{ id: 'c1' }] });
    await expect(bridge.listConversations()).resolves.toEqual({ ok: true, value: [{ id: 'c1' }] });
    expect(ipc.invoked.at(-1)).toEqual({ channel: IPC_CHANNELS.listConversations, args: [] });

    ipc.answer = async () => {
      throw new Error("No handler registered for 'history:list'");
    };
    const result = await bridge.listConversations();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).toMatch(/main process did not answer/);
    }
  });

  it('streams only its own answer events, without the IPC event object, and cancels by id', async () => {
    const ipc = new RecordingIpc();
    let release: (value: unknown) => void = () => {};
    ipc.answer = () => new Promise((resolve) => (release = resolve));
    const bridge = createBridge(ipc, () => 'req-1');
    const seen: unknown[][] = [];
    const handle = bridge.ask({ mode: 'reasoning', text: '2+2?' }, (...args) => seen.push(args));
    expect(ipc.invoked[0]).toEqual({
      channel: IPC_CHANNELS.ask,
      args: ['req-1', { mode: 'reasoning', text: '2+2?' }],
    });

    const reasoning: AnswerEvent = { type: 'reasoning', text: 'two and two' };
    ipc.fromMain(IPC_CHANNELS.askEvent, 'someone-else', { type: 'solution', text: 'no' });
    ipc.fromMain(IPC_CHANNELS.askEvent, 'req-1', reasoning);
    handle.cancel();
    expect(ipc.sent).toEqual([{ channel: IPC_CHANNELS.cancel, args: ['req-1'] }]);
    const done: AnswerEvent = { type: 'error', error: { code: 'cancelled', message: 'Stopped.' } };
    ipc.fromMain(IPC_CHANNELS.askEvent, 'req-1', done);
    release({ ok: true, value: undefined });
    await handle.finished;
    expect(seen).toEqual([[reasoning], [done]]);
    expect(ipc.listenerCount(IPC_CHANNELS.askEvent)).toBe(0);
  });

  it('reports a refused request as an error event and finishes', async () => {
    const ipc = new RecordingIpc();
    ipc.answer = async () => ({
      ok: false,
      error: { code: 'invalid-input', message: 'The question is empty.' },
    });
    const events: AnswerEvent[] = [];
    const handle = createBridge(ipc).ask({ mode: 'chat', text: '' }, (event) => events.push(event));
    await handle.finished;
    expect(events).toEqual([
      { type: 'error', error: { code: 'invalid-input', message: 'The question is empty.' } },
    ]);
  });

  it('passes notices from main without the event object and unsubscribes', () => {
    const ipc = new RecordingIpc();
    const notices: unknown[][] = [];
    const unsubscribe = createBridge(ipc).onNotice((...args) => notices.push(args));
    const notice: DesktopNotice = { type: 'mode-changed', mode: 'search' };
    ipc.fromMain(DESKTOP_CHANNELS.notice, notice);
    unsubscribe();
    ipc.fromMain(DESKTOP_CHANNELS.notice, { type: 'open-settings' });
    expect(notices).toEqual([[notice]]);
  });
});
