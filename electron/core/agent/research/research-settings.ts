import { DEFAULT_RESEARCH_BUDGETS, type ResearchBudgets } from './research-budgets';
import { SEARCH_R1_TAGS, type SelfSearchTags } from './self-search-tags';

/**
 * Deep Search's budgets and the self-search switch as settings.json keeps them (`research`), and as
 * the agent is given them: every Deep Search starts from these budgets (a request may change each),
 * and with `selfSearch` on, Search at the quick depth lets the model write its own searches.
 */
export interface ResearchSettings extends ResearchBudgets {
  /** Models trained to search by themselves write their queries between tags. @default false */
  selfSearch: boolean;
  /** The tags such a model writes and reads. @default Search-R1's */
  selfSearchTags: SelfSearchTags;
  /** Searches one self-searching answer may run. @default 3 */
  selfSearchMax: number;
}

export const DEFAULT_RESEARCH_SETTINGS: Readonly<ResearchSettings> = {
  ...DEFAULT_RESEARCH_BUDGETS,
  selfSearch: false,
  selfSearchTags: { ...SEARCH_R1_TAGS },
  selfSearchMax: 3,
};

/** The budgets part of the settings, for a Deep Search. */
export function budgetsOf(settings: Partial<ResearchSettings> | undefined): ResearchBudgets {
  const { rounds, subQuestionsPerRound, pages, tokens, wallMs } = {
    ...DEFAULT_RESEARCH_SETTINGS,
    ...settings,
  };
  return { rounds, subQuestionsPerRound, pages, tokens, wallMs };
}
