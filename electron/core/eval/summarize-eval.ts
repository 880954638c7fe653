import { corpusBleu } from './metrics/corpus-bleu';
import type { EvalAnswer, EvalMode, EvalModeSummary } from './eval-types';
import type { EvalItem } from './load-eval-data';

const mean = (values: number[]): number =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;

/** One mode's metrics from its answers: the paper's table row. */
export function summarizeMode(
  mode: EvalMode,
  answers: EvalAnswer[],
  items: EvalItem[],
): EvalModeSummary {
  const byIndex = new Map(items.map((item) => [item.index, item]));
  const compliance = { exact: 0, partial: 0, none: 0 };
  for (const answer of answers) compliance[answer.compliance]++;
  const references = answers.map((answer) => byIndex.get(answer.index)?.reference ?? '');
  const bleu = corpusBleu(
    answers.map((answer) => answer.answer),
    [references],
  ).score;
  const similarities = answers.map((answer) => answer.similarity);
  const totalMs = answers.reduce((sum, answer) => sum + answer.ms, 0);
  const tokens = answers.reduce((sum, answer) => sum + answer.completionTokens, 0);
  return {
    mode,
    adapter: answers[0]?.adapter ?? 'none',
    items: answers.length,
    compliance,
    rougeL: mean(answers.map((answer) => answer.rougeL)),
    bleu,
    reasoningTokens: mean(answers.map((answer) => answer.reasoningTokens)),
    similarity:
      similarities.every((value): value is number => value !== null) && similarities.length
        ? mean(similarities)
        : null,
    tokensPerSecond: totalMs > 0 ? tokens / (totalMs / 1000) : 0,
  };
}
