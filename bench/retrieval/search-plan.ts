import type { CorpusPage } from './doc-corpus';

export interface RetrievalQuestion {
  id: string;
  question: string;
  /** The page that answers, as `collection/file.html`. */
  page: string;
  /** A phrase of that page that the text given to the model must contain. */
  answer: string;
}

export interface PlannedResults {
  question: RetrievalQuestion;
  /** 20 page keys in the order the search engine returns them. */
  pages: string[];
  /** 1-based position of the answer page. */
  answerRank: number;
}

const QUESTION_WORDS = new Set(
  'a an and are as at be by can could did do does for from has have how i in is it its my of on or should that the this to was were what when where which who why will with without my me you your'.split(
    ' ',
  ),
);

/**
 * Distractors chosen by keyword, as a web search engine would return them: the pages that share
 * the most words with the question (title words count three times). The answer page is placed
 * at a rank that cycles through 1–8, so it is not always first.
 */
export function planResults(
  questions: RetrievalQuestion[],
  corpus: CorpusPage[],
  resultCount = 20,
): PlannedResults[] {
  return questions.map((question, index) => {
    const terms = [
      ...new Set(
        (question.question.toLowerCase().match(/[a-z0-9_]+/g) ?? []).filter(
          (t) => !QUESTION_WORDS.has(t) && t.length > 2,
        ),
      ),
    ];
    const titleWords = (page: CorpusPage) => page.title.toLowerCase();
    const scored = corpus
      .filter((page) => page.key !== question.page)
      .map((page) => ({
        key: page.key,
        score: terms.reduce(
          (sum, term) =>
            sum + (page.words.has(term) ? 1 : 0) + (titleWords(page).includes(term) ? 3 : 0),
          0,
        ),
      }))
      .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
    const distractors = scored.slice(0, resultCount - 1).map((s) => s.key);
    const answerRank = 1 + ((index * 5) % 8);
    const pages = [...distractors];
    pages.splice(answerRank - 1, 0, question.page);
    return { question, pages, answerRank };
  });
}
