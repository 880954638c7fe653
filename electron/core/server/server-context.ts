import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerContext } from './run-answer';

/** What every route handler can reach. */
export interface ServerContext extends AnswerContext {
  bodyLimitBytes: number;
}

export interface RequestContext {
  server: ServerContext;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The JSON body, read under the size cap. */
  body(): Promise<unknown>;
}
