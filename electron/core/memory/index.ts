export {
  openMemoryStore,
  recoverMemoryDatabase,
  DamagedDatabaseError,
  DEFAULT_BUSY_TIMEOUT_MS,
} from './open-memory-store';
export type { OpenMemoryStoreOptions } from './open-memory-store';
export type { MemoryStore, ConnectionSettings } from './memory-store';
export type {
  ConversationRecord,
  ConversationSummary,
  MessageRating,
  MessageRecord,
  MessageStats,
  NewMessage,
  AnswerPart,
  PartLengths,
  SearchHit,
  StoreRecovery,
} from './memory-types';
export type { MigrationOutcome } from './apply-migrations';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations';
export type { Migration } from './migrations';
export { DEFAULT_FLUSH_INTERVAL_MS } from './streaming-message-writer';
export type {
  StartStreamingInput,
  StreamingMessageWriter,
  StreamingOutcome,
  StreamingWriterOptions,
} from './streaming-message-writer';
export { DEFAULT_MAX_TURNS } from './recent-turns';
export type { RecentTurnsOptions } from './recent-turns';
export { toFtsQuery } from './search-messages';
export type { SearchOptions } from './search-messages';
export { EXPORT_FORMAT, EXPORT_VERSION } from './export-json';
export type { ConversationExport, ExportedConversation, ExportedMessage } from './export-json';
export type { ImportOptions, ImportResult } from './import-json';
export { deriveTitle, TITLE_MAX_CHARS } from './derive-title';
export { createAgentMemory } from './agent-memory';
export { defaultDatabasePath } from './default-database-path';
export { damagedPathFor, moveDamagedAside, salvageInto } from './recover-database';
export type { RecoveredDatabase } from './recover-database';
