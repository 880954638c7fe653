import type {
  AnswerHandle,
  AppError,
  ConversationSearchHit,
  ConversationSummary,
  Mode,
} from '../../../../electron/shared';
import { api, asAppError } from '../api';
import { appState } from './app-state.svelte';
import type { UiMessage } from './ui-message';
import { applyEvent, fromStored, newAssistantMessage } from './ui-message';

/** The conversation list, the open conversation and the answer being streamed into it. */
export class ChatState {
  conversations = $state<ConversationSummary[]>([]);
  currentId = $state<string | null>(null);
  messages = $state<UiMessage[]>([]);
  mode = $state<Mode>('chat');
  searchQuery = $state('');
  searchHits = $state<ConversationSearchHit[] | null>(null);
  /** A conversation taken off the list, deleted for good once its undo is no longer offered. */
  pendingDelete = $state<{ conversation: ConversationSummary; index: number } | null>(null);
  /** A failure outside any answer (loading history, searching it). */
  error = $state<AppError | null>(null);
  private answer = $state<AnswerHandle | null>(null);

  get answering(): boolean {
    return this.answer !== null;
  }

  get currentTitle(): string {
    return this.conversations.find((c) => c.id === this.currentId)?.title ?? 'New conversation';
  }

  async loadConversations(): Promise<void> {
    try {
      const pending = this.pendingDelete?.conversation.id;
      this.conversations = (await api.listConversations()).filter((c) => c.id !== pending);
    } catch (error) {
      this.error = asAppError(error);
    }
  }

  async open(id: string): Promise<void> {
    if (this.answering) this.stop();
    try {
      const detail = await api.getConversation(id);
      this.currentId = detail.id;
      this.messages = detail.messages.filter((m) => m.role !== 'system').map(fromStored);
      // A follow-up continues in the conversation's own mode unless the person picks another.
      const lastQuestion = detail.messages.findLast((m) => m.role === 'user');
      if (lastQuestion) this.mode = lastQuestion.mode;
      this.error = null;
    } catch (error) {
      this.error = asAppError(error);
    }
  }

  startNew(): void {
    if (this.answering) this.stop();
    this.currentId = null;
    this.messages = [];
    this.error = null;
  }

  async search(query: string): Promise<void> {
    this.searchQuery = query;
    if (query.trim() === '') {
      this.searchHits = null;
      return;
    }
    try {
      const hits = await api.searchConversations(query.trim());
      if (this.searchQuery === query) this.searchHits = hits;
    } catch (error) {
      this.error = asAppError(error);
    }
  }

  /** Asks in the current mode; the answer streams into a new assistant message. */
  ask(text: string, options: { regenerate?: boolean; mode?: Mode } = {}): Promise<void> {
    if (this.answering) return Promise.resolve();
    const mode = options.mode ?? this.mode;
    if (!options.regenerate) {
      this.messages.push({
        ...newAssistantMessage(mode),
        id: `q-${Date.now()}`,
        role: 'user',
        text,
        status: 'complete',
      });
    }
    this.messages.push({ ...newAssistantMessage(mode), asked: { text, saved: false } });
    const message = this.messages[this.messages.length - 1] as UiMessage;
    const handle = api.ask(
      {
        mode,
        text,
        ...(this.currentId ? { conversationId: this.currentId } : {}),
        ...(options.regenerate ? { regenerate: true } : {}),
      },
      (event) => {
        if (event.type === 'conversation') {
          this.currentId = event.id;
          if (message.asked) message.asked.saved = true;
          this.showAsked(event.id, text, mode);
        }
        applyEvent(message, event);
      },
    );
    this.answer = handle;
    return handle.finished
      .catch((error: unknown) => applyEvent(message, { type: 'error', error: asAppError(error) }))
      .finally(() => {
        this.answer = null;
        // A new conversation got its title; an old one moved to the top; the model may be loaded now.
        void this.loadConversations();
        void appState.refreshHealth();
      });
  }

  /** A conversation is listed (at the top) as soon as it is asked, not when its answer ends. */
  private showAsked(id: string, question: string, mode: Mode): void {
    const now = Date.now();
    const existing = this.conversations.find((c) => c.id === id);
    const listed: ConversationSummary = existing
      ? { ...existing, updated: now, mode }
      : {
          id,
          title: question.trim().split('\n')[0]?.slice(0, 80) || 'New conversation',
          created: now,
          updated: now,
          pinned: false,
          mode,
        };
    this.conversations = [listed, ...this.conversations.filter((c) => c.id !== id)];
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    try {
      await api.updateConversation(id, { title: clean });
    } catch (error) {
      this.error = asAppError(error);
    }
    await this.loadConversations();
  }

  async setPinned(id: string, pinned: boolean): Promise<void> {
    try {
      await api.updateConversation(id, { pinned });
    } catch (error) {
      this.error = asAppError(error);
    }
    await this.loadConversations();
  }

  /** Takes a conversation off the list at once; `commitDelete` deletes it, `undoDelete` brings it back. */
  async deleteWithUndo(id: string): Promise<void> {
    await this.commitDelete();
    const index = this.conversations.findIndex((c) => c.id === id);
    const conversation = this.conversations[index];
    if (!conversation) return;
    this.pendingDelete = { conversation, index };
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.currentId === id) this.startNew();
  }

  undoDelete(): void {
    const pending = this.pendingDelete;
    if (!pending) return;
    this.pendingDelete = null;
    const list = [...this.conversations];
    list.splice(Math.min(pending.index, list.length), 0, pending.conversation);
    this.conversations = list;
  }

  async commitDelete(): Promise<void> {
    const pending = this.pendingDelete;
    if (!pending) return;
    this.pendingDelete = null;
    try {
      await api.deleteConversation(pending.conversation.id);
    } catch (error) {
      this.error = asAppError(error);
      await this.loadConversations();
    }
  }

  stop(): void {
    this.answer?.cancel();
  }

  /**
   * Asks a failed question again. One the server kept is answered anew in place; one it never
   * saved (the model could not load) is asked again as it was.
   */
  retry(): Promise<void> {
    const last = this.messages.at(-1);
    if (this.answering || last?.role !== 'assistant') return Promise.resolve();
    if (!last.asked || last.asked.saved) return this.regenerate();
    const { text } = last.asked;
    this.messages.splice(-2, 2);
    return this.ask(text, { mode: last.mode });
  }

  /** Replaces the last answer with a new one to the same question. */
  regenerate(): Promise<void> {
    if (this.answering || !this.currentId) return Promise.resolve();
    const last = this.messages.at(-1);
    // The new answer keeps the mode the question was answered in, whatever mode is selected now.
    const mode = last?.role === 'assistant' ? last.mode : this.mode;
    if (last?.role === 'assistant') this.messages.pop();
    return this.ask('', { regenerate: true, mode });
  }
}

export const chat = new ChatState();
