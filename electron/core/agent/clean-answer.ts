import type { Source } from '../../shared';
import type { SearchPort } from './ports';

export interface AnswerText {
  solution: string;
  text: string;
}

/**
 * Search answers keep only links and citations that point at their own sources (SECURITY #13): a
 * page cannot plant a link through the model. Returns the cleaned parts when anything was removed.
 */
export function cleanAnswer(
  search: SearchPort | undefined,
  answer: AnswerText,
  sources: Source[],
): AnswerText | undefined {
  if (!search?.postProcess || sources.length === 0) return undefined;
  const cleaned = {
    solution: search.postProcess(answer.solution, sources),
    text: search.postProcess(answer.text, sources),
  };
  return cleaned.solution === answer.solution && cleaned.text === answer.text ? undefined : cleaned;
}
