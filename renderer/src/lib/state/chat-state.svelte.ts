import type {
  AnswerHandle,
  AppError,
  ConversationSearchHit,
  ConversationSummary,
  Mode,
  SearchDepth,
} from '../../../../electron/shared';
import { api, asAppError } from '../api';
import { appState } from './app-state.svelte';
import type { UiMessage } from './ui-message';
import { applyEvent, fromStored, newAssistantMessage } from './ui-message';
import { adoptStoredIds, versionGroup, versionsOf, visibleMessages } from './answer-versions';

/** The conversation list, the open conversation and the answer being streamed into it. */
export class ChatState {
  conversations = $state<ConversationSummary[]>([]);
  currentId = $state<string | null>(null);
  messages = $state<UiMessage[]>([]);
  mode = $state<Mode>('chat');
  /** Auto: Ponder picks the mode from each question; `mode` is then only its fallback. */
  auto = $state(false);
  /** Search goes deep: plan, search, read, check what is missing, search again. */
  deep = $state(false);
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
  ask(
    text: string,
    options: {
      regenerate?: boolean;
      mode?: Mode;
      depth?: SearchDepth;
      versionOf?: string;
    } = {},
  ): Promise<void> {
    if (this.answering) return Promise.resolve();
    const mode = options.mode ?? this.mode;
    // A question from the composer follows the switch; a re-ask names its own mode and depth.
    const auto = options.mode === undefined && this.auto;
    const depth = options.depth ?? (options.mode === undefined && this.deep ? 'deep' : 'quick');
    if (!options.regenerate) {
      this.messages.push({
        ...newAssistantMessage(mode),
        id: `q-${Date.now()}`,
        role: 'user',
        text,
        status: 'complete',
      });
    }
    this.messages.push({
      ...newAssistantMessage(mode),
      asked: { text, saved: false },
      ...(options.versionOf ? { versionOf: options.versionOf } : {}),
    });
    const message = this.messages[this.messages.length - 1] as UiMessage;
    const handle = api.ask(
      {
        mode,
        text,
        ...(auto ? { auto: true } : {}),
        ...(mode === 'search' && depth === 'deep' ? { depth } : {}),
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
        void this.adoptIds();
      });
  }

  /** The answer just streamed gets its stored id, so it can be rated and its versions switched. */
  private async adoptIds(): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    try {
      const detail = await api.getConversation(id);
      if (this.currentId === id && !this.answering) adoptStoredIds(this.messages, detail.messages);
    } catch {
      // Rating waits for the next reopen; the answer itself is safe.
    }
  }

  /** Thumbs up or down on an answer; the same thumb again takes it back. */
  async rate(message: UiMessage, rating: 1 | -1): Promise<void> {
    const next = message.rating === rating ? null : rating;
    const before = message.rating;
    if (next === null) delete message.rating;
    else message.rating = next;
    try {
      await api.updateMessage(message.id, { rating: next });
    } catch (error) {
      if (before === undefined) delete message.rating;
      else message.rating = before;
      this.error = asAppError(error);
    }
  }

  /** Shows another version of an answer (and feeds that one back to the model). */
  async showVersion(version: UiMessage): Promise<void> {
    if (this.answering) return;
    for (const other of versionsOf(this.messages, version)) other.superseded = other !== version;
    try {
      await api.updateMessage(version.id, { shown: true });
    } catch (error) {
      this.error = asAppError(error);
    }
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
   * saved (the connection failed before) is asked again as it was.
   */
  retry(): Promise<void> {
    const last = visibleMessages(this.messages).at(-1);
    if (this.answering || last?.role !== 'assistant') return Promise.resolve();
    if (!last.asked || last.asked.saved) {
      // A failure with nothing written is replaced, as the server replaces it, not kept as a version.
      const empty = last.status === 'error' && !last.text && !last.solution && !last.reasoning;
      if (empty && versionsOf(this.messages, last).length === 1) {
        this.messages = this.messages.filter((m) => m !== last);
        return this.ask('', { regenerate: true, mode: last.mode });
      }
      return this.regenerate();
    }
    const { text } = last.asked;
    this.messages = this.messages.filter((m) => m !== last && m !== this.messages.at(-2));
    return this.ask(text, { mode: last.mode });
  }

  /** Edit and resend: the last question in new words, answered again; earlier answers stay as versions. */
  editAndResend(question: UiMessage, text: string): Promise<void> {
    if (this.answering || !this.currentId) return Promise.resolve();
    const last = visibleMessages(this.messages).at(-1);
    question.text = text;
    if (last?.role !== 'assistant') return this.ask(text, { regenerate: true, mode: this.mode });
    for (const version of versionsOf(this.messages, last)) version.superseded = true;
    return this.ask(text, { regenerate: true, mode: last.mode, versionOf: versionGroup(last) });
  }

  /** Auto's one-click switch: the last question answered again in the mode the person picks. */
  reaskIn(run: { mode: Mode; depth: SearchDepth }): Promise<void> {
    if (this.answering || !this.currentId) return Promise.resolve();
    const last = visibleMessages(this.messages).at(-1);
    if (last?.role !== 'assistant') return Promise.resolve();
    for (const version of versionsOf(this.messages, last)) version.superseded = true;
    return this.ask('', { regenerate: true, ...run, versionOf: versionGroup(last) });
  }

  /** Answers the last question again; the earlier answer stays as an earlier version. */
  regenerate(): Promise<void> {
    if (this.answering || !this.currentId) return Promise.resolve();
    const last = visibleMessages(this.messages).at(-1);
    if (last?.role !== 'assistant') return this.ask('', { regenerate: true, mode: this.mode });
    // The new answer keeps the mode the question was answered in, whatever mode is selected now.
    for (const version of versionsOf(this.messages, last)) version.superseded = true;
    return this.ask('', { regenerate: true, mode: last.mode, versionOf: versionGroup(last) });
  }
}

export const chat = new ChatState();
