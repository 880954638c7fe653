import type { RouteChoice, RouteDecision } from './route-types';

export interface RouteContext {
  /** What the previous answer in this conversation was, so a follow-up stays in the same mode. */
  previous?: RouteChoice;
  /** Today, for "is this year recent?"; defaults to now. */
  now?: Date;
}

interface Rule {
  choice: RouteChoice;
  reason: string;
  test: (question: string, words: string[], context: RouteContext) => boolean;
}

const GREETING =
  /^(hi|hello|hey|hiya|yo|howdy|good (morning|afternoon|evening|night)|thanks|thank you|thx|cheers|bye|goodbye|see you|how are you|how's it going|what's up|who are you|what can you do|nice to meet you|ok|okay|cool|great)\b/i;
const FOLLOW_UP =
  /^((and|but|also|so|what about|how about|tell me more|more|go on|continue|elaborate|explain (that|it|this)|same for|what else|the (first|second|third|last) one|which one|are you sure)\b|(why|why not|really|how come)\??$)/i;
const PRONOUN_START = /^(it|that|this|they|them|those|he|she|his|her|its|their)\b/i;
const ARITHMETIC = /\d\s*[-+*/×÷^%]\s*\(?\d|\bsqrt\b|\d+\s*(squared|cubed)\b|\d+!|\bx\s*[=+]/i;
/** A word problem: at least two numbers and a question about a quantity. */
const WORD_PROBLEM = /\b(how (much|many|long|far)|what fraction|what percentage|convert)\b/i;
const MATH_WORDS =
  /\b(calculate|compute|solve|simplify|factori[sz]e|derivative|integral|integrate|equation|prove|proof|probability|percent of|% of|how many .* (if|when|each)|average of|sum of|product of|remainder|divisible|prime|logic puzzle|riddle|step by step|work out)\b/i;
const CODE_WORDS =
  /\b(function|algorithm|regex|regular expression|sql query|big-?o|time complexity|recursion|bug|stack trace|segfault|compile error|refactor|unit test|implement|pseudocode)\b/i;
const WRITING =
  /^(please )?(write|compose|draft|rewrite|rephrase|paraphrase|translate|summari[sz]e|proofread|shorten|make (it|this)|tell me a (joke|story)|give me (a|an|some) (name|idea|title|slogan|tagline)s?|suggest|brainstorm|correct (the )?grammar|make up|create a (poem|story|haiku|limerick))\b/i;
const RECENT =
  /\b(latest|newest|current(ly)?|today|tonight|yesterday|tomorrow|this (week|month|year|morning)|right now|recent(ly)?|news|price of|prices|stock|weather|forecast|score|results? of the|schedule|release date|just (announced|released)|upcoming|trending|exchange rate|who won|new features|what's new)\b/i;
const MULTI_HOP =
  /\b(which (of the two|came first|was (released|founded|built|born|published) first|is (older|newer|larger|bigger|taller|longer))|compare|comparison|versus|vs\.?|difference between .+ and|older than|younger than|before or after|both .+ and|released first|founded first|of the .+ that .+ (depends|uses|wrote|founded|created)|(longer|shorter|taller|older|younger|bigger|larger|faster|heavier|cheaper) than|(born|released|founded|built|published) first|differ|and (who|when|where|which|what|how) )\b/i;
const FACT_QUESTION =
  /^(who|when|where|which|what (is|was|are|were) the (name|capital|population|height|date|year|author|ceo|founder|version)|how (tall|old|far|long|big|many people|much does)|what year|in what year|what \w+ (does|did|do) |is there|does .+ (support|have|use))\b/i;
const STOP_CAPITALS = new Set(['I', 'I’m', "I'm", 'OK', 'A', 'The', 'What', 'Who', 'How']);

/** Capitalised words after the first, or tokens with digits and letters (versions, models): names. */
function namedEntities(words: string[]): number {
  let count = 0;
  words.forEach((word, index) => {
    const bare = word.replace(/^[("'“]+|[)"'”.,;:!?]+$/g, '');
    if (index > 0 && /^[A-Z][\w.+#-]*[a-z0-9]/.test(bare) && !STOP_CAPITALS.has(bare)) count++;
    else if (/[A-Za-z]/.test(bare) && /\d/.test(bare) && bare.length > 1) count++;
  });
  return count;
}

function mentionsRecentYear(question: string, now: Date): boolean {
  const year = now.getUTCFullYear();
  return (question.match(/\b(19|20)\d{2}\b/g) ?? []).some((y) => Number(y) >= year - 1);
}

/** Rules in order; the first that matches decides. Their reasons are shown to the person. */
const RULES: Rule[] = [
  {
    choice: 'chat',
    reason: 'a greeting or small talk',
    test: (q, words) => words.length <= 8 && GREETING.test(q),
  },
  {
    choice: 'reasoning',
    reason: 'arithmetic or a problem to work out',
    test: (q) =>
      ARITHMETIC.test(q) ||
      MATH_WORDS.test(q) ||
      (WORD_PROBLEM.test(q) && (q.match(/\d+(\.\d+)?/g) ?? []).length >= 2) ||
      /^convert \d/i.test(q),
  },
  {
    choice: 'reasoning',
    reason: 'a programming problem',
    test: (q) => CODE_WORDS.test(q),
  },
  {
    choice: 'chat',
    reason: 'a writing task that needs no sources',
    test: (q) => WRITING.test(q),
  },
  {
    choice: 'deep-search',
    reason: 'it needs facts from more than one place',
    test: (q, words) => MULTI_HOP.test(q) && namedEntities(words) >= 1,
  },
  {
    choice: 'quick-search',
    reason: 'it asks about something recent',
    test: (q, _words, context) =>
      RECENT.test(q) || mentionsRecentYear(q, context.now ?? new Date()),
  },
  {
    choice: 'quick-search',
    reason: 'a factual question about a named thing',
    test: (q, words) => FACT_QUESTION.test(q) && namedEntities(words) >= 1,
  },
];

/**
 * Auto's fast path: decides from the question's words alone, or returns undefined when no rule is
 * sure (then the model decides). Pure and synchronous so it costs well under a millisecond.
 */
export function routeByRules(
  question: string,
  context: RouteContext = {},
): RouteDecision | undefined {
  const text = question.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const words = text.split(' ');
  if (words.length <= 6 && (FOLLOW_UP.test(text) || PRONOUN_START.test(text))) {
    return context.previous
      ? { choice: context.previous, by: 'rules', reason: 'a follow-up to the previous answer' }
      : undefined;
  }
  for (const rule of RULES) {
    if (rule.test(text, words, context)) {
      return { choice: rule.choice, by: 'rules', reason: rule.reason };
    }
  }
  return undefined;
}
