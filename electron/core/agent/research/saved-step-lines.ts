export { KNOWN_PREFIX, savedStepLines, STEP_MARK } from '../../../shared/research-step-lines';
