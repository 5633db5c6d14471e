// People: councillors and officers, the bodies they sit on over time, and the register of declarations by
// member.
export { declarationsByMember, type MemberDeclaration } from "./declarations-by-member.js";
export {
  addMembership,
  bodyMembersOn,
  endMembership,
  heldOn,
  type BodyMember,
  type MembershipView,
} from "./memberships.js";
export {
  councilIdForPeople,
  createPerson,
  getPerson,
  listCouncillors,
  listPeople,
  updatePerson,
  type PersonDetail,
  type PersonSummary,
} from "./people.js";
export {
  checkMembership,
  checkPerson,
  PersonInputError,
  type FieldProblem,
  type MembershipInput,
  type PersonInput,
} from "./person-input.js";
