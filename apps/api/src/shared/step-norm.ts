import { stepNorm, type Norm } from '@sped/regulations';

/**
 * The norm of a step as the regulation states it (with its legal source). Read models keep only the step's
 * keys (regulation version, service, step), never a copy of the norm: the regulation data is the one source.
 * A row whose keys the loaded regulations do not know is an error of deployment (data removed), not of the case.
 */
export function normOf(regulationId: string, serviceCode: string, stepId: string): Norm {
  const norm = stepNorm(regulationId, serviceCode, stepId);
  if (!norm) throw new Error(`No regulation data for step ${stepId} of ${serviceCode} under ${regulationId}: the read models were built with regulation data this process does not have`);
  return norm;
}
