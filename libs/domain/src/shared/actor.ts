/**
 * Who acts. `role` and `providerId` come from the verified token, never from a request body.
 * - clerk, head, executor: a provider's staff; they act on their own provider's cases only.
 * - director, quality-control, investigator: read; quality-control also handles complaints addressed to
 *   the authorized body. They never record case actions.
 * - admin: erases personal data; records no procedural action.
 * - applicant: the service recipient acting through the portal.
 * - system: the deadline sweeper and the portal gateway.
 */
export const ACTOR_ROLES = [
  'clerk',
  'head',
  'executor',
  'director',
  'quality-control',
  'investigator',
  'admin',
  'applicant',
  'system',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export interface Actor {
  role: ActorRole;
  userId: string;
  /** The provider the user works for; null for applicants, the authorized body, admins and the system. */
  providerId: string | null;
}

export const STAFF_ROLES = ['clerk', 'head', 'executor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaff(actor: Actor): actor is Actor & { role: StaffRole } {
  return (STAFF_ROLES as readonly string[]).includes(actor.role);
}

/**
 * Personal data as the domain sees it: opaque. The application layer seals it (AES-GCM under a key per
 * person) and erasure destroys that key; the domain only stores and moves the sealed blob.
 */
export interface SealedPersonalData {
  personId: string;
  sealed: string;
}
