export { createDeepSearch, type DeepSearch, type DeepSearchDeps } from './deep-search';
export { deepSearchPort } from './deep-search-port';
export {
  DEFAULT_RESEARCH_BUDGETS,
  RESEARCH_BUDGET_LIMITS,
  resolveResearchBudgets,
  type ResearchBudgets,
} from './research-budgets';
export { safeQuery, allowedWords, MAX_QUERY_CHARS, MAX_QUERY_WORDS } from './safe-query';
export { askJson, type JsonReply, type JsonRequest } from './ask-json';
export {
  withSelfSearch,
  SEARCH_R1_TAGS,
  type SelfSearchOptions,
  type SelfSearchTags,
} from './self-search-engine';
export { savedStepLines, STEP_MARK, KNOWN_PREFIX } from './saved-step-lines';
export { DEFAULT_RESEARCH_SETTINGS, budgetsOf, type ResearchSettings } from './research-settings';
