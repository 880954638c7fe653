import type {
  AnswerHandle,
  AppError,
  ConversationSearchHit,
  ConversationSummary,
  Mode,
} from '../../../../electron/shared';
import { api, asAppError } from '../api';
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
      this.conversations = await api.listConversations();
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
    this.messages.push(newAssistantMessage(mode));
    const message = this.messages[this.messages.length - 1] as UiMessage;
    const handle = api.ask(
      {
        mode,
        text,
        ...(this.currentId ? { conversationId: this.currentId } : {}),
        ...(options.regenerate ? { regenerate: true } : {}),
      },
      (event) => {
        if (event.type === 'conversation') this.currentId = event.id;
        applyEvent(message, event);
      },
    );
    this.answer = handle;
    return handle.finished
      .catch((error: unknown) => applyEvent(message, { type: 'error', error: asAppError(error) }))
      .finally(() => {
        this.answer = null;
        // A new conversation got its title; an old one moved to the top.
        void this.loadConversations();
      });
  }

  stop(): void {
    this.answer?.cancel();
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
