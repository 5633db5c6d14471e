// Meetings of the council's bodies, with their agenda items and decisions.
export {
  getMeeting,
  listMeetings,
  upcomingMeetings,
  type AgendaItemView,
  type MeetingDetail,
  type MeetingFilters,
  type MeetingSummary,
} from "./meetings.js";
export { scheduleMeeting, type NewMeeting, type ScheduledMeeting } from "./schedule-meeting.js";
export {
  addAgendaItem,
  listAgendaItems,
  meetingOfCouncil,
  type AgendaItem,
  type NewAgendaItem,
} from "./agenda-items.js";
