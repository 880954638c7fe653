export { createAgent, MAX_QUESTION_CHARS } from './agent';
export type { Agent, AgentDeps, AgentRequest } from './agent';
export type { ConversationMemory, SearchPort, TurnHandle } from './ports';
