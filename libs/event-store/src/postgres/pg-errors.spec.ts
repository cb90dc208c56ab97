import { EventStoreUnavailableError } from '../event-store.js';
import { describeTarget, isStatementError, isUniqueViolation, toStoreError } from './pg-errors.js';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('PostgreSQL error mapping', () => {
  describe('when the database cannot be reached', () => {
    it.each([
      ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5999'), 'connection refused'],
      ['a connect timeout', new Error('timeout exceeded when trying to connect'), 'no connection within the connection timeout'],
      ['a query timeout', new Error('Query read timeout'), 'no answer within the query timeout'],
      ['a server shutting down', pgError('57P01', 'terminating connection due to administrator command'), 'shutting down'],
      ['a dropped connection', new Error('Connection terminated unexpectedly'), 'the connection was closed'],
      ['a statement timeout', pgError('57014', 'canceling statement due to statement timeout'), 'timed out'],
    ])('reports %s as EventStoreUnavailableError naming the database', (_label, error, reason) => {
      const mapped = toStoreError(error, '127.0.0.1:5999/sped');
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as Error).message).toContain('Event store database 127.0.0.1:5999/sped is unavailable');
      expect((mapped as Error).message).toContain(reason);
      expect((mapped as Error).cause).toBe(error);
    });

    it('looks inside an AggregateError from a host with several addresses', () => {
      const error = new AggregateError([pgError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')], '');
      expect(toStoreError(error, 'localhost:5432/sped')).toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('when the request itself is wrong', () => {
    it('passes the error through unchanged', () => {
      const unique = pgError('23505', 'duplicate key value violates unique constraint "events_stream_version_key"');
      expect(toStoreError(unique, 'x')).toBe(unique);
      expect(isUniqueViolation(unique)).toBe(true);
      const syntax = pgError('22P02', 'invalid input syntax for type uuid: "nope"');
      expect(toStoreError(syntax, 'x')).toBe(syntax);
      expect(isUniqueViolation(syntax)).toBe(false);
      expect(isStatementError(unique) && isStatementError(syntax)).toBe(true);
    });

    it('does not take a timeout or a dropped connection for a statement error', () => {
      expect(isStatementError(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false);
      expect(isStatementError(new Error('Query read timeout'))).toBe(false);
    });
  });

  describe('when naming the database in a message', () => {
    it('leaves the credentials out', () => {
      expect(describeTarget({ connectionString: 'postgres://app:secret@db.internal:6432/sped?sslmode=require' })).toBe('db.internal:6432/sped');
      expect(describeTarget({ host: '10.0.0.5', database: 'sped' })).toBe('10.0.0.5:5432/sped');
    });
  });
});
