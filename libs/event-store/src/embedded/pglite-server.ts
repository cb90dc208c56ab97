import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * A PostgreSQL wire-protocol server over one PGlite instance, for the pg driver.
 *
 * Why not PGLiteSocketServer as is: PGlite is one backend session. pglite-socket's multiplexer
 * queues single protocol messages, so between one client's Parse and its Bind another client's
 * Parse can run (a large message split across TCP packets is enough) and the unnamed statement is
 * swapped; notifications also go back to whichever connection happened to commit, not to the
 * listener. Here a connection owns the backend from its first message until the backend reports
 * ReadyForQuery 'idle' to it: a whole extended-protocol round, or a whole transaction. Others wait.
 *
 * What every client must know (the session is shared):
 * - Work is serialized: more connections add no throughput. A connection that holds a transaction
 *   open blocks every other connection until it commits; code that opens a transaction on one
 *   connection and then awaits a query on another deadlocks (it ends at the client's query
 *   timeout, or when the owner is idle for `ownerIdleTimeoutMs`).
 * - Session state is shared: SET, temporary tables, named prepared statements (use unnamed ones),
 *   advisory session locks.
 * - The startup reply of the first connection is replayed to the later ones, so a connection is
 *   accepted at once even while another holds a transaction; per-connection startup parameters
 *   (application_name, statement_timeout) after the first are not applied.
 * - LISTEN/UNLISTEN are tracked per connection and notifications are routed to the connections
 *   that listen on the channel.
 */
export interface PgliteServerOptions {
  db: PGlite;
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** Connections accepted at once (default 32); more get SQLSTATE 53300. */
  maxConnections?: number;
  /** A connection that holds the backend (open transaction) and sends nothing for this long is dropped (default 60 s). */
  ownerIdleTimeoutMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const CHAR = (c: string) => c.charCodeAt(0);
const TERMINATE = CHAR('X');
const SIMPLE_QUERY = CHAR('Q');
const PARSE = CHAR('P');
const NOTIFICATION = CHAR('A');
const READY_FOR_QUERY = CHAR('Z');
const ERROR_RESPONSE = CHAR('E');
const AUTHENTICATION = CHAR('R');
const SYNC_MESSAGE = Buffer.from([CHAR('S'), 0, 0, 0, 4]);

interface Session {
  id: number;
  socket: net.Socket;
  buffer: Buffer;
  started: boolean;
  pending: Buffer[];
  queued: boolean;
  closed: boolean;
  runsStartup: boolean;
  channels: Set<string>;
  unlistened: Set<string> | '*' | null;
}

export function simpleQueryMessage(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message[0] = SIMPLE_QUERY;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

export function errorResponseMessage(severity: string, code: string, text: string): Buffer {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`, 'utf8');
  const message = Buffer.alloc(5 + fields.length);
  message[0] = ERROR_RESPONSE;
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}

/** Split a backend reply into messages: `[type, start, end)` triples. */
export function splitMessages(data: Buffer): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let offset = 0; offset + 5 <= data.length; ) {
    const end = offset + 1 + data.readInt32BE(offset + 1);
    out.push([data[offset], offset, end]);
    offset = end;
  }
  return out;
}

const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*|\*)`;
const LISTEN_RE = new RegExp(String.raw`\b(UNLISTEN|LISTEN)\s+${IDENT}`, 'gi');

/** LISTEN / UNLISTEN statements in a query text, with channel names normalized as PostgreSQL does. */
export function listenStatements(sql: string): Array<{ listen: boolean; channel: string }> {
  const found: Array<{ listen: boolean; channel: string }> = [];
  for (const match of sql.matchAll(LISTEN_RE)) {
    const raw = match[2];
    const channel = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw === '*' ? '*' : raw.toLowerCase();
    found.push({ listen: match[1].toUpperCase() === 'LISTEN', channel });
  }
  return found;
}

function queryText(message: Buffer): string | null {
  if (message[0] === SIMPLE_QUERY) return message.toString('utf8', 5, message.length - 1);
  if (message[0] === PARSE) {
    const nameEnd = message.indexOf(0, 5);
    const textEnd = message.indexOf(0, nameEnd + 1);
    return nameEnd < 0 || textEnd < 0 ? null : message.toString('utf8', nameEnd + 1, textEnd);
  }
  return null;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class PgliteServer {
  private readonly db: PGlite;
  private readonly host: string;
  private readonly requestedPort: number;
  readonly maxConnections: number;
  private readonly ownerIdleTimeoutMs: number;
  private readonly logger?: PgliteServerOptions['logger'];
  private server: net.Server | null = null;
  private readonly sessions = new Set<Session>();
  private readonly ready: Session[] = [];
  private owner: Session | null = null;
  private ownerIdleTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private startupReply: Buffer | null = null;
  private nextId = 1;
  private stopping = false;
  private boundPort = 0;

  constructor(options: PgliteServerOptions) {
    this.db = options.db;
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.maxConnections = options.maxConnections ?? 32;
    this.ownerIdleTimeoutMs = options.ownerIdleTimeoutMs ?? 60_000;
    this.logger = options.logger;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('PGlite server already started');
    await this.db.waitReady;
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.logger?.warn({ err: error }, 'embedded database server error'));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('PGlite server has no TCP address');
    this.boundPort = address.port;
    return { host: this.host, port: this.boundPort };
  }

  /** Stops accepting, drops every connection (rolling back an open transaction) and waits for the backend. */
  async stop(): Promise<void> {
    this.stopping = true;
    const server = this.server;
    this.server = null;
    for (const session of [...this.sessions]) this.close(session);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.kick();
    while (this.draining) await this.draining;
    this.clearOwnerIdleTimer();
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    if (this.sessions.size >= this.maxConnections) {
      socket.end(errorResponseMessage('FATAL', '53300', `too many connections to the embedded database (max ${this.maxConnections})`));
      return;
    }
    const session: Session = {
      id: this.nextId++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      queued: false,
      closed: false,
      runsStartup: false,
      channels: new Set(),
      unlistened: null,
    };
    this.sessions.add(session);
    socket.on('data', (chunk: Buffer) => this.receive(session, chunk));
    socket.on('error', () => this.close(session));
    socket.on('close', () => this.close(session));
  }

  private close(session: Session): void {
    if (session.closed) return;
    session.closed = true;
    session.pending = [];
    this.sessions.delete(session);
    if (!session.socket.destroyed) session.socket.destroy();
    // The owner's open transaction or half-done extended query is cleaned up by the drain loop.
    if (this.owner === session) this.kick();
  }

  private receive(session: Session, chunk: Buffer): void {
    if (session.closed) return;
    session.buffer = session.buffer.length === 0 ? chunk : Buffer.concat([session.buffer, chunk]);
    let buffer = session.buffer;
    while (!session.closed) {
      if (!session.started) {
        if (buffer.length < 8) break;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) break;
        const code = buffer.readInt32BE(4);
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          session.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // PGlite has no second backend to signal; the protocol expects no reply.
          this.close(session);
          break;
        }
        session.started = true;
        if (this.startupReply) {
          session.socket.write(this.startupReply);
        } else {
          session.runsStartup = true;
          session.pending.push(message);
        }
        continue;
      }
      if (buffer.length < 5) break;
      const total = 1 + buffer.readInt32BE(1);
      if (buffer.length < total) break;
      const message = Buffer.from(buffer.subarray(0, total));
      buffer = buffer.subarray(total);
      if (message[0] === TERMINATE) {
        this.close(session);
        break;
      }
      const text = queryText(message);
      if (text !== null && /listen/i.test(text)) this.trackListen(session, text);
      session.pending.push(message);
    }
    session.buffer = buffer.length === 0 ? Buffer.alloc(0) : buffer;
    if (this.owner === session) this.clearOwnerIdleTimer();
    if (session.pending.length > 0 && this.owner !== session && !session.queued) {
      session.queued = true;
      this.ready.push(session);
    }
    this.kick();
  }

  private trackListen(session: Session, text: string): void {
    for (const { listen, channel } of listenStatements(text)) {
      if (listen) {
        session.channels.add(channel);
      } else if (channel === '*') {
        session.unlistened = '*';
      } else {
        session.unlistened = session.unlistened === '*' ? '*' : (session.unlistened ?? new Set()).add(channel);
      }
    }
  }

  private kick(): void {
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = null;
      });
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      let session = this.owner;
      if (session?.closed) {
        await this.resetBackend();
        this.owner = null;
        continue;
      }
      if (session === null) {
        session = this.ready.shift() ?? null;
        if (session === null) return;
        session.queued = false;
        if (session.closed || session.pending.length === 0) continue;
        this.owner = session;
      } else if (session.pending.length === 0) {
        this.armOwnerIdleTimer(session);
        return;
      }
      const batch = session.pending.length === 1 ? session.pending[0] : Buffer.concat(session.pending);
      session.pending = [];
      let reply: Buffer;
      try {
        const raw = await this.db.runExclusive(() => this.db.execProtocolRaw(batch));
        reply = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      } catch (error) {
        this.logger?.warn({ err: error, connection: session.id }, 'embedded database: a protocol batch failed; dropping the connection');
        this.close(session);
        continue;
      }
      const status = this.deliver(session, reply);
      if (session.runsStartup) {
        session.runsStartup = false;
        if (this.startupReply === null && status === 'I' && isSuccessfulStartup(reply)) this.startupReply = Buffer.from(reply);
      }
      if (session.unlistened) await this.keepListening(session);
      if (status === 'I') {
        this.owner = null;
        if (session.pending.length > 0 && !session.queued && !session.closed) {
          session.queued = true;
          this.ready.push(session);
        }
      }
    }
  }

  /** Writes the reply to its connection and notifications to their listeners; returns the last ReadyForQuery status. */
  private deliver(session: Session, reply: Buffer): string | null {
    let status: string | null = null;
    let hasNotification = false;
    const messages = splitMessages(reply);
    for (const [type, start] of messages) {
      if (type === READY_FOR_QUERY) status = String.fromCharCode(reply[start + 5]);
      else if (type === NOTIFICATION) hasNotification = true;
    }
    if (!hasNotification) {
      if (!session.closed && reply.length > 0) session.socket.write(reply);
      return status;
    }
    const own: Buffer[] = [];
    for (const [type, start, end] of messages) {
      const message = reply.subarray(start, end);
      if (type !== NOTIFICATION) {
        own.push(message);
        continue;
      }
      const channelEnd = reply.indexOf(0, start + 9);
      const channel = reply.toString('utf8', start + 9, channelEnd);
      for (const listener of this.sessions) {
        if (listener.channels.has(channel) && !listener.closed) listener.socket.write(Buffer.from(message));
      }
    }
    if (!session.closed && own.length > 0) session.socket.write(Buffer.concat(own));
    return status;
  }

  /** The backend session is shared: an UNLISTEN by one connection must not silence the others. */
  private async keepListening(session: Session): Promise<void> {
    const removed = session.unlistened === '*' ? new Set(session.channels) : (session.unlistened ?? new Set<string>());
    session.unlistened = null;
    for (const channel of removed) session.channels.delete(channel);
    const stillWanted = [...this.sessions].flatMap((s) => [...s.channels]);
    const relisten = new Set(stillWanted);
    if (relisten.size === 0) return;
    const sql = [...relisten].map((c) => `LISTEN ${quoteIdent(c)};`).join(' ');
    await this.db.runExclusive(() => this.db.execProtocolRaw(simpleQueryMessage(sql)));
  }

  /** Ends whatever the departed owner left: a half-done extended query, an open or failed transaction. */
  private async resetBackend(): Promise<void> {
    this.clearOwnerIdleTimer();
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRaw(SYNC_MESSAGE);
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQueryMessage('ROLLBACK'));
      });
    } catch (error) {
      this.logger?.warn({ err: error }, 'embedded database: could not reset the session after a connection left');
    }
  }

  private armOwnerIdleTimer(session: Session): void {
    this.clearOwnerIdleTimer();
    if (this.ownerIdleTimeoutMs <= 0) return;
    this.ownerIdleTimer = setTimeout(() => {
      if (this.owner !== session || session.closed) return;
      this.logger?.warn(
        { connection: session.id, idleMs: this.ownerIdleTimeoutMs },
        'embedded database: dropping a connection that held a transaction open and sent nothing',
      );
      this.close(session);
    }, this.ownerIdleTimeoutMs);
    this.ownerIdleTimer.unref();
  }

  private clearOwnerIdleTimer(): void {
    if (this.ownerIdleTimer) clearTimeout(this.ownerIdleTimer);
    this.ownerIdleTimer = null;
  }
}

function isSuccessfulStartup(reply: Buffer): boolean {
  let authOk = false;
  for (const [type, start] of splitMessages(reply)) {
    if (type === ERROR_RESPONSE) return false;
    if (type === AUTHENTICATION && reply.readInt32BE(start + 5) === 0) authOk = true;
  }
  return authOk;
}
