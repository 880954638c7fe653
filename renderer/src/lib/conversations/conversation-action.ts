/** What the sidebar's conversation menu can do. */
export type ConversationAction = 'rename' | 'pin' | 'export-md' | 'export-json' | 'delete';
