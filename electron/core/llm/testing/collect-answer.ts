import type { AnswerEvent, GenerationStats } from '../../../shared';
import type { Engine, GenerateRequest } from '../engine-types';

/** One answer as a person would see it: the joined sections, and how it ended. */
export interface CollectedAnswer {
  events: AnswerEvent[];
  reasoning: string;
  solution: string;
  text: string;
  stats?: GenerationStats;
  error?: Extract<AnswerEvent, { type: 'error' }>['error'];
}

export async function collectAnswer(
  engine: Engine,
  request: Omit<GenerateRequest, 'messages'> & {
    question?: string;
    messages?: GenerateRequest['messages'];
  },
  onEvent?: (event: AnswerEvent) => void,
): Promise<CollectedAnswer> {
  const { question = '2+2?', messages, ...rest } = request;
  const answer: CollectedAnswer = { events: [], reasoning: '', solution: '', text: '' };
  for await (const event of engine.generate({
    ...rest,
    messages: messages ?? [{ role: 'user', text: question }],
  })) {
    answer.events.push(event);
    onEvent?.(event);
    if (event.type === 'reasoning' || event.type === 'solution' || event.type === 'text') {
      answer[event.type] += event.text;
    } else if (event.type === 'done') answer.stats = event.stats;
    else if (event.type === 'error') answer.error = event.error;
  }
  return answer;
}

/** Exactly one terminal event, and it is the last one. */
export function terminalEvents(answer: CollectedAnswer): AnswerEvent['type'][] {
  return answer.events
    .map((event) => event.type)
    .filter((type) => type === 'done' || type === 'error');
}
