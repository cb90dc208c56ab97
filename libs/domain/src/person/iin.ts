/**
 * Kazakhstan's individual identification number (ЖСН / ИИН): 12 digits.
 * Digits 1-6 are the birth date YYMMDD, digit 7 the century and sex (1/2: 19th, 3/4: 20th, 5/6: 21st
 * century; odd = male, even = female), digits 8-11 a serial number, digit 12 a check digit: the sum
 * of digits 1-11 weighted 1..11 modulo 11; if that is 10, weighted 3..11,1,2 modulo 11; if that is
 * 10 again the number is not issued.
 */
export interface IinFacts {
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
}

export type IinCheck = { ok: true; facts: IinFacts } | { ok: false; reason: string };

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function iinCheckDigit(first11: string): number | null {
  const d = [...first11].map(Number);
  let c = d.reduce((s, x, i) => s + x * W1[i], 0) % 11;
  if (c === 10) c = d.reduce((s, x, i) => s + x * W2[i], 0) % 11;
  return c === 10 ? null : c;
}

export function checkIin(iin: string, expectedBirthDate?: string): IinCheck {
  if (!/^\d{12}$/.test(iin)) return { ok: false, reason: 'must be exactly 12 digits' };
  const centuryDigit = Number(iin[6]);
  if (centuryDigit < 1 || centuryDigit > 6) return { ok: false, reason: 'digit 7 (century and sex) must be 1-6' };
  const century = 1700 + Math.ceil(centuryDigit / 2) * 100;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: 'digits 1-6 are not a valid birth date (YYMMDD)' };
  }
  const check = iinCheckDigit(iin.slice(0, 11));
  if (check === null || check !== Number(iin[11])) return { ok: false, reason: 'the check digit (12th) does not match' };
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (expectedBirthDate && expectedBirthDate !== birthDate) {
    return { ok: false, reason: `encodes birth date ${birthDate}, not ${expectedBirthDate}` };
  }
  return { ok: true, facts: { birthDate, sex: centuryDigit % 2 === 1 ? 'male' : 'female' } };
}

/** Builds a valid IIN for a birth date (for demo data and tests). */
export function makeIin(birthDate: string, sex: 'male' | 'female', serial: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  const centuryIndex = Math.floor(y / 100) - 17; // 1800s -> 1, 1900s -> 2, 2000s -> 3
  const centuryDigit = centuryIndex * 2 - (sex === 'male' ? 1 : 0);
  for (let s = serial; s < serial + 10000; s++) {
    const first11 = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${centuryDigit}${String(s % 10000).padStart(4, '0')}`;
    const c = iinCheckDigit(first11);
    if (c !== null) return first11 + c;
  }
  throw new Error('no IIN with a valid check digit near that serial');
}
