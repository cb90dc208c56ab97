/**
 * The registered data files. To add a regulation version: write its data file next to this one (one
 * `RegulationVersion` per file) and add it to REGULATION_FILES; it is validated with the others on first use.
 */
import { almatyRegion604of2018 } from './almaty-region-604-2018.js';
import { homeEducationRules2020 } from './home-education-rules-2020.js';
import { complaintTermsLawPublicServices } from './complaint-terms-law-public-services.js';

export interface DataFile<T> {
  /** Shown in validation errors. */
  file: string;
  data: T;
}

export const REGULATION_FILES: ReadonlyArray<DataFile<unknown>> = [
  { file: 'regulations/almaty-region-604-2018.ts', data: almatyRegion604of2018 },
  { file: 'regulations/home-education-rules-2020.ts', data: homeEducationRules2020 },
];

export const COMPLAINT_TERMS_FILES: ReadonlyArray<DataFile<unknown>> = [
  { file: 'regulations/complaint-terms-law-public-services.ts', data: complaintTermsLawPublicServices },
];
