// The saved timeline's format lives beside the events, so the answer is written and read alike.
export { stepsFromReasoning } from '../../../../electron/shared/research-step-lines';
