import fc from 'fast-check';
import { checkIin, makeIin } from './iin.js';

describe('IIN validation', () => {
  it('accepts a well-formed IIN and reads its birth date and sex', () => {
    const iin = makeIin('2015-04-09', 'female', 123);
    expect(checkIin(iin)).toEqual({ ok: true, facts: { birthDate: '2015-04-09', sex: 'female' } });
  });

  it('refuses anything but 12 digits', () => {
    expect(checkIin('12345')).toEqual({ ok: false, reason: 'must be exactly 12 digits' });
    expect(checkIin('15040960012a')).toMatchObject({ ok: false });
  });

  it('refuses a wrong check digit', () => {
    const iin = makeIin('2016-12-31', 'male', 7);
    const wrong = iin.slice(0, 11) + String((Number(iin[11]) + 1) % 10);
    expect(checkIin(wrong)).toEqual({ ok: false, reason: 'the check digit (12th) does not match' });
  });

  it('refuses an impossible birth date', () => {
    expect(checkIin('150230600123')).toEqual({ ok: false, reason: 'digits 1-6 are not a valid birth date (YYMMDD)' });
  });

  it('refuses an IIN whose birth date differs from the stated one', () => {
    const iin = makeIin('2014-02-01', 'male', 42);
    expect(checkIin(iin, '2014-02-02')).toEqual({ ok: false, reason: 'encodes birth date 2014-02-01, not 2014-02-02' });
  });

  it('reads back the birth date and sex of any valid IIN, and refuses it with any other check digit', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.constantFrom('male' as const, 'female' as const),
        fc.integer({ min: 0, max: 9990 }),
        fc.integer({ min: 1, max: 9 }),
        (date, sex, serial, delta) => {
          const birthDate = date.toISOString().slice(0, 10);
          const iin = makeIin(birthDate, sex, serial);
          const other = iin.slice(0, 11) + String((Number(iin[11]) + delta) % 10);
          const read = checkIin(iin);
          return read.ok && read.facts.birthDate === birthDate && read.facts.sex === sex && !checkIin(other).ok;
        },
      ),
    );
  });
});
