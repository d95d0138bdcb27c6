// The words people see for the wire's enum values (DOMAIN.md vocabulary).
import type {
  Answer,
  AppointmentKind,
  AppointmentStatus,
  Attendance,
  Band,
  ClientStatus,
  Credential,
  FeeKind,
  FollowUpKind,
  FollowUpStatus,
  Formulation,
  Instrument,
  IntakeKind,
  IntakeOutcome,
  Location,
  MeasureSource,
  PresentingConcern,
  RiskLevel,
  Service,
} from './types'

export const SERVICES: readonly Service[] = [
  'mental_health_intake',
  'medical_intake',
  'prescription',
  'kap_session',
  'group_session',
  'integration_session',
  'psychotherapy',
]

export const SERVICE_LABEL: Record<Service, string> = {
  mental_health_intake: 'Mental-health intake',
  medical_intake: 'Medical intake (includes prescription)',
  prescription: 'Ketamine prescription',
  kap_session: 'KAP session (1-on-1)',
  group_session: 'Group session',
  integration_session: 'Integration session',
  psychotherapy: 'Psychotherapy session',
}

export const CONCERNS: readonly PresentingConcern[] = [
  'treatment_resistant_depression',
  'depression',
  'anxiety',
  'ocd',
  'ptsd',
  'substance_use',
  'burnout',
  'identity',
  'life_transition',
  'stagnation',
  'other',
]

export const CONCERN_LABEL: Record<PresentingConcern, string> = {
  treatment_resistant_depression: 'Treatment-resistant depression',
  depression: 'Depression',
  anxiety: 'Anxiety',
  ocd: 'OCD',
  ptsd: 'PTSD',
  substance_use: 'Substance use',
  burnout: 'Burnout',
  identity: 'Identity',
  life_transition: 'Life transition',
  stagnation: 'Stagnation',
  other: 'Other',
}

export const STATUSES: readonly ClientStatus[] = [
  'inquiry',
  'intake',
  'active',
  'paused',
  'completed',
  'not_suitable',
  'archived',
]

/** The statuses a user may pick in the client form: archiving is its own action. */
export const EDITABLE_STATUSES: readonly ClientStatus[] = STATUSES.filter((s) => s !== 'archived')

export const STATUS_LABEL: Record<ClientStatus, string> = {
  inquiry: 'Inquiry',
  intake: 'Intake',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  not_suitable: 'Not suitable',
  archived: 'Archived',
}

export const FEE_KIND_LABEL: Record<FeeKind, string> = {
  standard: 'Standard fees',
  sliding_scale: 'Sliding scale',
  pay_what_you_can: 'Pay what you can',
}

export const US_TIME_ZONES: readonly { value: string; label: string }[] = [
  { value: 'America/New_York', label: 'Eastern (New York)' },
  { value: 'America/Chicago', label: 'Central (Chicago)' },
  { value: 'America/Denver', label: 'Mountain (Denver)' },
  { value: 'America/Phoenix', label: 'Mountain, no daylight saving (Phoenix)' },
  { value: 'America/Los_Angeles', label: 'Pacific (Los Angeles)' },
  { value: 'America/Anchorage', label: 'Alaska (Anchorage)' },
  { value: 'Pacific/Honolulu', label: 'Hawaii (Honolulu)' },
]

export const CREDENTIALS: readonly Credential[] = ['MD', 'DO', 'NP', 'PA']

export const INTAKE_KIND_LABEL: Record<IntakeKind, string> = {
  mental_health: 'Mental-health intake',
  medical: 'Medical intake',
}

export const OUTCOMES: readonly IntakeOutcome[] = ['pending', 'cleared', 'not_cleared']

export const OUTCOME_LABEL: Record<IntakeOutcome, string> = {
  cleared: 'Cleared',
  not_cleared: 'Not cleared',
  pending: 'Pending',
}

export const FORMULATIONS: readonly Formulation[] = ['sublingual_lozenge', 'troche', 'rapid_dissolve_tablet']

export const FORMULATION_LABEL: Record<Formulation, string> = {
  sublingual_lozenge: 'Sublingual lozenge',
  troche: 'Troche',
  rapid_dissolve_tablet: 'Rapid-dissolve tablet',
}

export const ANSWERS: readonly Answer[] = ['yes', 'no', 'unknown']

export const ANSWER_LABEL: Record<Answer, string> = {
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
}

export const APPOINTMENT_KINDS: readonly AppointmentKind[] = [
  'mental_health_intake',
  'medical_intake',
  'kap_session',
  'group_kap_session',
  'integration_session',
  'psychotherapy',
]

export const APPOINTMENT_KIND_LABEL: Record<AppointmentKind, string> = {
  mental_health_intake: 'Mental-health intake',
  medical_intake: 'Medical intake',
  kap_session: 'KAP session',
  group_kap_session: 'Group KAP session',
  integration_session: 'Integration session',
  psychotherapy: 'Psychotherapy',
}

/** KAP sessions (1-on-1 and group) need clearance and take place in the KAP room. */
export function isKapKind(kind: AppointmentKind): boolean {
  return kind === 'kap_session' || kind === 'group_kap_session'
}

export const APPOINTMENT_STATUS_LABEL: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  late_cancelled: 'Late cancelled',
  no_show: 'No-show',
}

export const LOCATIONS: readonly Location[] = ['kap_room', 'telehealth', 'other']

export const LOCATION_LABEL: Record<Location, string> = {
  kap_room: 'KAP room',
  telehealth: 'Telehealth',
  other: 'Other',
}

export const ATTENDANCE_LABEL: Record<Attendance, string> = {
  expected: 'Expected',
  attended: 'Attended',
  absent: 'Absent',
}

/** The kinds a user may add; "integration session due" is created by the app. */
export const FOLLOW_UP_KINDS: readonly FollowUpKind[] = ['call', 'check_in', 'referral', 'other']

export const FOLLOW_UP_KIND_LABEL: Record<FollowUpKind, string> = {
  integration_session_due: 'Integration session due',
  call: 'Call',
  check_in: 'Check-in',
  referral: 'Referral',
  other: 'Other',
}

export const FOLLOW_UP_STATUS_LABEL: Record<FollowUpStatus, string> = {
  open: 'Open',
  done: 'Done',
  dropped: 'Dropped',
}

export const INSTRUMENTS: readonly Instrument[] = ['phq9', 'gad7', 'pcl5']

export const INSTRUMENT_LABEL: Record<Instrument, string> = {
  phq9: 'PHQ-9',
  gad7: 'GAD-7',
  pcl5: 'PCL-5',
}

/** What each questionnaire measures, in a few words. */
export const INSTRUMENT_ABOUT: Record<Instrument, string> = {
  phq9: 'depression',
  gad7: 'anxiety',
  pcl5: 'post-traumatic stress',
}

export const BAND_LABEL: Record<Band, string> = {
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  moderately_severe: 'Moderately severe',
  severe: 'Severe',
  below_cut_point: 'Below cut-point',
  probable_ptsd: 'Probable PTSD',
}

export const MEASURE_SOURCE_LABEL: Record<MeasureSource, string> = {
  paper: 'Entered from paper',
  self_report: 'Client self-report',
}

export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'moderate', 'high']

export const RISK_LEVEL_LABEL: Record<RiskLevel, string> = {
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
}
