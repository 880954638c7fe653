export { PonderError, toAppError, formatAppError } from './ponder-error';
