import type { SealedPersonalData } from '@sped/domain';
import type { PersonalDataVault } from '@sped/platform';
import type { PersonInput } from '../http/schemas.js';

/** Seals a person's data under their own key; the event log only ever sees the result. */
export async function sealPerson(vault: PersonalDataVault, person: PersonInput): Promise<SealedPersonalData> {
  const personId = await vault.personFor(person.iin);
  return vault.seal(personId, { ...person });
}

/** Seals free text written by or about a person (a complaint's text, an answer) under that person's key. */
export async function sealText(vault: PersonalDataVault, personId: string, text: string): Promise<SealedPersonalData> {
  return vault.seal(personId, { text });
}
