/**
 * A broken domain rule. `code` is stable (clients and the HTTP layer map it); `field` names the input at
 * fault when there is one. The message is for people and may change.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Makes a missing `case` in a switch over a union a compile error, and a loud one at run time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
