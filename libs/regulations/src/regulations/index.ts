export {
  RegulationRegistry,
  defaultRegistry,
  listRegulations,
  regulationById,
  stepNorm,
  regulationFor,
  complaintTermsFor,
  listComplaintTerms,
  stepsFor,
  stepsOf,
  type RegulationInForce,
} from './registry.js';
export { validateRegulationVersion, validateComplaintTerms, SERVICE_CODES, CHANNELS, ROLES, NORM_UNITS } from './regulation.validate.js';
export { REGULATION_FILES, COMPLAINT_TERMS_FILES, type DataFile } from './registered.js';
export { almatyRegion604of2018 } from './almaty-region-604-2018.js';
export { homeEducationRules2020 } from './home-education-rules-2020.js';
export { complaintTermsLawPublicServices } from './complaint-terms-law-public-services.js';
