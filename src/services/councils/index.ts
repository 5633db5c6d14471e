// Councils and their decision makers: the council's call-in rule and settings, lookup by slug or name, bodies.
export { getCouncilOverview, type CouncilOverview } from "./council-overview.js";
export {
  DEFAULT_COUNCIL,
  findCouncilBySlug,
  findOrCreateCouncil,
  getCouncil,
  getCouncilById,
  listCouncils,
  setCouncilRule,
  slugForCouncilName,
  type Council,
  type CouncilRuleChange,
} from "./councils.js";
export { councilForRule, findCouncil, matchCouncil, type RuleCouncil } from "./find-council.js";
export { getBody, listBodies, listDecisionBodies, type BodyDetail, type BodySummary } from "./bodies.js";
