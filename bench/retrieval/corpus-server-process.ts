/**
 * The evaluation's search engine in a process of its own, so the time it spends reading and
 * sending pages does not count as time the pipeline held up the event loop. Prints its origin
 * and host as one JSON line, then serves until killed.
 */
import { startCorpusSearchServer } from './corpus-search-server';
import { loadCorpus } from './doc-corpus';
import { loadQuestions } from './run-retrieval-eval';
import { planResults } from './search-plan';

const ids = new Set(JSON.parse(process.argv[2] ?? '[]') as string[]);
const corpus = loadCorpus();
const questions = loadQuestions().filter((q) => ids.size === 0 || ids.has(q.id));
const server = await startCorpusSearchServer(corpus, planResults(questions, corpus));
process.stdout.write(`${JSON.stringify({ origin: server.origin, host: server.host })}\n`);
