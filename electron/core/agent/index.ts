export { createAgent, MAX_QUESTION_CHARS } from './agent';
export type { Agent, AgentDeps, AgentRequest } from './agent';
export type { ConversationMemory, EngineLoader, SearchPort, TurnHandle } from './ports';
