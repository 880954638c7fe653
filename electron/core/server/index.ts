export { createServer, DEFAULT_PORT } from './create-server';
export type { PonderServer, ServerOptions } from './create-server';
export { CONTENT_SECURITY_POLICY } from './security-headers';
export { generateToken } from './request-guard';
export { OPENAI_MODELS } from './schemas';
