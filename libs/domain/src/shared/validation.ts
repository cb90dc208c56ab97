import type { SealedPersonalData } from './actor.js';
import { DomainError } from './domain-error.js';

/** The HTTP layer validates shapes first; these guards keep the decider safe when called from elsewhere. */

export function invalid(field: string, message: string): DomainError {
  return new DomainError('INVALID_INPUT', `${field} ${message}`, field);
}

export function requireText(value: unknown, field: string, maxLength = 500): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'must be a non-empty string');
  if (value.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  return value;
}

export function optionalText(value: unknown, field: string, maxLength = 500): string | null {
  if (value === undefined || value === null) return null;
  return requireText(value, field, maxLength);
}

export function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireSealed(value: unknown, field: string): SealedPersonalData {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'must be sealed personal data');
  const v = value as Record<string, unknown>;
  requireText(v['personId'], `${field}.personId`, 200);
  requireText(v['sealed'], `${field}.sealed`, 1_000_000);
  const extra = Object.keys(v).filter((k) => k !== 'personId' && k !== 'sealed');
  // Anything beside the sealed blob could be personal data in the clear.
  if (extra.length > 0) throw invalid(field, `must hold only personId and sealed (got ${extra.join(', ')})`);
  return { personId: v['personId'] as string, sealed: v['sealed'] as string };
}

/** Structural equality of JSON-like values, for "a repeat that changes nothing". */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
