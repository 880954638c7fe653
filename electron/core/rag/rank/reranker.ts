/** Scores how well each passage answers the question, reading both together (a cross-encoder). */
export interface Reranker {
  score(question: string, passages: string[], signal?: AbortSignal): Promise<number[]>;
  dispose(): Promise<void>;
}
