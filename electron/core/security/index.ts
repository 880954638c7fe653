export { escapeControlCharacters, hasControlCharacters } from './control-characters';
export { checkPlainData } from './check-plain-data';
export type { PlainDataLimits } from './check-plain-data';
export { describeSchemaIssue, MAX_ISSUE_CHARS } from './describe-schema-issue';
