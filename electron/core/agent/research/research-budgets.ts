/** Limits that always end a Deep Search; each is a setting and a per-request option. */
export interface ResearchBudgets {
  /** Plan-search-analyse rounds. */
  rounds: number;
  /** Searches per round (sub-questions of the plan, follow-ups of an analysis). */
  subQuestionsPerRound: number;
  /** Distinct sources kept across all rounds. */
  pages: number;
  /** Model tokens (prompt and reply) spent on plans and analyses. */
  tokens: number;
  /** Milliseconds from the start of the loop to the start of the conclusion. */
  wallMs: number;
}

export const DEFAULT_RESEARCH_BUDGETS: Readonly<ResearchBudgets> = {
  rounds: 3,
  subQuestionsPerRound: 3,
  pages: 12,
  tokens: 16_000,
  wallMs: 120_000,
};

/** The range each budget may take (a setting, a request field or a flag outside it is refused). */
export const RESEARCH_BUDGET_LIMITS: Readonly<Record<keyof ResearchBudgets, [number, number]>> = {
  rounds: [1, 10],
  subQuestionsPerRound: [1, 8],
  pages: [1, 50],
  tokens: [64, 1_000_000],
  wallMs: [1_000, 3_600_000],
};

/** Fills defaults and keeps each budget within sane bounds (a typo cannot make the loop endless). */
export function resolveResearchBudgets(input: Partial<ResearchBudgets> = {}): ResearchBudgets {
  const out = { ...DEFAULT_RESEARCH_BUDGETS };
  for (const key of Object.keys(RESEARCH_BUDGET_LIMITS) as (keyof ResearchBudgets)[]) {
    const value = input[key];
    if (value === undefined || !Number.isFinite(value)) continue;
    const [min, max] = RESEARCH_BUDGET_LIMITS[key];
    out[key] = Math.min(max, Math.max(min, Math.floor(value)));
  }
  return out;
}
