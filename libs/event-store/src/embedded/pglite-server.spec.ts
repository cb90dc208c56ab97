import { errorResponseMessage, listenStatements, simpleQueryMessage, splitMessages } from './pglite-server.js';

describe('embedded server protocol helpers', () => {
  describe('when a query listens or unlistens', () => {
    it('finds the channels as PostgreSQL names them', () => {
      expect(listenStatements('LISTEN "event_store_appended"')).toEqual([{ listen: true, channel: 'event_store_appended' }]);
      expect(listenStatements('listen Mixed_Case; UNLISTEN "Quoted""Name"')).toEqual([
        { listen: true, channel: 'mixed_case' },
        { listen: false, channel: 'Quoted"Name' },
      ]);
      expect(listenStatements('UNLISTEN *')).toEqual([{ listen: false, channel: '*' }]);
      expect(listenStatements('SELECT listening_at FROM t')).toEqual([]);
    });
  });

  describe('when a backend reply holds several messages', () => {
    it('splits it at message boundaries', () => {
      const reply = Buffer.concat([errorResponseMessage('ERROR', '42P01', 'no such table'), simpleQueryMessage('SELECT 1')]);
      const parts = splitMessages(reply);
      expect(parts.map(([type]) => String.fromCharCode(type))).toEqual(['E', 'Q']);
      expect(parts[1][2]).toBe(reply.length);
      expect(reply.toString('utf8', parts[1][1] + 5, parts[1][2] - 1)).toBe('SELECT 1');
    });
  });
});
