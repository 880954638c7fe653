import type { FormatCompliance } from '../reasoning/format-compliance';

/** `base` is the chat prompt on the base model alone; the others are Ponder's modes with their adapters. */
export const EVAL_MODES = ['base', 'chat', 'reasoning'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

/** One answered item, as kept (one JSON line each) in the results folder so a run can resume. */
export interface EvalAnswer {
  data: string;
  mode: EvalMode;
  index: number;
  /** The adapter that answered, as the engine reports it: `sft`, `grpo` or `base`. */
  adapter: string;
  /** What is compared with the reference: the solution when the reply has one, else the whole reply. */
  answer: string;
  reasoning: string;
  reasoningTokens: number;
  compliance: FormatCompliance;
  rougeL: number;
  /** Cosine similarity of answer and reference embeddings; null without an embedding model. */
  similarity: number | null;
  completionTokens: number;
  /** Generation time in ms, for tokens/s over the whole mode. */
  ms: number;
  stopReason: string;
}

/** One mode's row of the results table. */
export interface EvalModeSummary {
  mode: EvalMode;
  /** Which adapter answered: `sft`, `grpo` or `base`. */
  adapter: string;
  items: number;
  compliance: { exact: number; partial: number; none: number };
  /** Mean ROUGE-L F1, 0–1. */
  rougeL: number;
  /** Corpus BLEU, 0–100. */
  bleu: number;
  /** Mean reasoning length in tokens (0 when the mode writes no reasoning). */
  reasoningTokens: number;
  /** Mean cosine similarity, or null when no embedding model was available. */
  similarity: number | null;
  tokensPerSecond: number;
}

export interface EvalReport {
  data: string;
  dataSha256: string;
  model: string;
  adapters: { sft?: string; grpo?: string };
  similarityModel: string | null;
  createdAt: string;
  modes: EvalModeSummary[];
}
