export { routeByRules, type RouteContext } from './route-rules';
export { routeWithModel } from './route-with-model';
export { chooseRoute, routeQuestion } from './route-question';
export { modeOfChoice, isRouteChoice, type RouteChoice, type RouteDecision } from './route-types';
export { LABELLED_QUESTIONS, type LabelledQuestion } from './labelled-questions';
export { previousRouteOf, previousRouteOfConversation, withPreviousRoute } from './previous-route';
