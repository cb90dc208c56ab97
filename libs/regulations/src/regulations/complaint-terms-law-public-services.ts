/**
 * Review terms of complaints about a provider: Law "On public services" of 15 Apr 2013, Art. 25(2), as quoted by
 * Source B (shared/seeds/004_52c1e34e407a1298.txt, paragraph 9). Counted in working days from registration.
 */
import type { ComplaintTerms, LegalSource } from '../regulation.types.js';

const LAW: LegalSource = {
  issuer: 'Republic of Kazakhstan',
  document: 'Law "On public services"',
  date: '2013-04-15',
  paragraph: 'Art. 25(2)',
  seed: '004_52c1e34e407a1298.txt',
};

export const complaintTermsLawPublicServices: ComplaintTerms = {
  id: 'law-public-services-art-25-2',
  inForce: {
    from: '2020-02-11',
    to: null,
    estimated: { from: true },
    note:
      'The terms are the Law\'s, quoted by the home-education rules (Source B, paragraph 9); the project\'s sources do not give the ' +
      'Article\'s wording at earlier dates, so this version starts with Source B (2020-02-11, itself an estimate) and earlier dates are ' +
      'a gap rather than a guess. An operator who confirms the earlier wording adds an earlier version.',
  },
  terms: [
    {
      addressee: 'provider',
      amount: 5,
      unit: 'working-days',
      startsOn: 'registration',
      source: {
        ...LAW,
        quote:
          '"Мемлекеттік көрсетілетін қызметтер туралы" Қазақстан Республикасы Заңының 25-бабының 2-тармағына сәйкес тікелей мемлекеттік көрсетілетін қызметті көрсететін көрсетілетін қызметті берушінің атына келіп түскен көрсетілетін қызметті алушының шағымы тіркелген күнінен бастап бес жұмыс күні ішінде қаралуға жатады.',
      },
    },
    {
      addressee: 'authorized-body',
      amount: 15,
      unit: 'working-days',
      startsOn: 'registration',
      source: {
        ...LAW,
        quote:
          'Мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті органның атына келіп түскен көрсетілетін қызметті алушының шағымы тіркелген күнінен бастап он бес жұмыс күні ішінде қаралуға жатады.',
        note: 'The authorized body for assessing and controlling the quality of public services.',
      },
    },
  ],
};
