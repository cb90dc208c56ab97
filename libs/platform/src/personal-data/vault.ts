import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the event log holds instead of personal data: the person's id and a ciphertext only their key opens. */
export interface SealedPersonalData {
  personId: string;
  sealed: string;
}

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export class PersonalDataErasedError extends Error {
  constructor(readonly personId: string) {
    super(`Personal data of ${personId} was erased; it can no longer be recorded or read.`);
    this.name = 'PersonalDataErasedError';
  }
}

const VERSION = 'v1';
const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join('.');
}

function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, unb64(iv));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(unb64(tag));
  return Buffer.concat([decipher.update(unb64(ct)), decipher.final()]);
}

/**
 * Per-person AES-256-GCM keys, held outside the event log (in the `person_key` table), each wrapped by
 * a key-encryption key. Erasing a person's key makes every copy of their data unreadable
 * (crypto-shredding) while the events, timelines and statistics stay intact.
 */
export class PersonalDataVault {
  private readonly cache = new Map<string, Buffer | null>();

  constructor(
    private readonly db: Queryable,
    private readonly kek: Buffer,
  ) {
    if (kek.length !== 32) throw new Error('The personal-data key-encryption key must be 32 bytes.');
  }

  private async keyOf(personId: string, create: boolean): Promise<Buffer | null> {
    const cached = this.cache.get(personId);
    if (cached !== undefined) return cached;
    const rows = (await this.db.query('SELECT wrapped_key, erased_at FROM person_key WHERE person_id = $1', [personId])) as Array<{ wrapped_key: Buffer | null; erased_at: Date | null }>;
    let key: Buffer | null;
    if (rows.length) {
      key = rows[0].wrapped_key ? decrypt(this.kek, rows[0].wrapped_key.toString('utf8'), personId) : null;
    } else if (create) {
      const fresh = randomBytes(32);
      await this.db.query('INSERT INTO person_key (person_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING', [personId, Buffer.from(encrypt(this.kek, fresh, personId))]);
      this.cache.delete(personId);
      return this.keyOf(personId, false);
    } else {
      return null;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(personId, key);
    return key;
  }

  /**
   * The person's stable id for an IIN, so every case of one child shares one key (and one erasure).
   * The IIN itself is stored only as an HMAC under the key-encryption key: not reversible without it.
   */
  async personFor(iin: string): Promise<string> {
    const mac = createHmac('sha256', this.kek).update(`iin:${iin}`).digest('base64url');
    const candidate = randomUUID();
    const inserted = (await this.db.query(
      `INSERT INTO person_key (person_id, iin_hmac, wrapped_key) VALUES ($1, $2, $3)
         ON CONFLICT (iin_hmac) DO NOTHING RETURNING person_id`,
      [candidate, mac, Buffer.from(encrypt(this.kek, randomBytes(32), candidate))],
    )) as Array<{ person_id: string }>;
    if (inserted.length) return inserted[0].person_id;
    const rows = (await this.db.query('SELECT person_id FROM person_key WHERE iin_hmac = $1', [mac])) as Array<{ person_id: string }>;
    return rows[0].person_id;
  }

  async seal(personId: string, data: Record<string, unknown>): Promise<SealedPersonalData> {
    const key = await this.keyOf(personId, true);
    if (!key) throw new PersonalDataErasedError(personId);
    return { personId, sealed: encrypt(key, Buffer.from(JSON.stringify(data)), personId) };
  }

  /** The person's data, or `{ erased: true }` once their key is gone. */
  async open<T extends Record<string, unknown>>(value: SealedPersonalData): Promise<T | { erased: true }> {
    const key = await this.keyOf(value.personId, false);
    if (!key) return { erased: true };
    return JSON.parse(decrypt(key, value.sealed, value.personId).toString('utf8')) as T;
  }

  async isErased(personId: string): Promise<boolean> {
    return (await this.keyOf(personId, false)) === null;
  }

  /** Destroys the person's key. Returns false if there was nothing left to erase. */
  async erase(personId: string, by: string, reason: string): Promise<boolean> {
    const rows = (await this.db.query(
      `UPDATE person_key SET wrapped_key = NULL, iin_hmac = NULL, erased_at = now(), erased_by = $2, erase_reason = $3
        WHERE person_id = $1 AND wrapped_key IS NOT NULL RETURNING person_id`,
      [personId, by, reason],
    )) as unknown[];
    this.cache.set(personId, null);
    const affected = Array.isArray(rows) && Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
    return affected > 0;
  }
}

/** The key-encryption key: PERSONAL_DATA_KEY (base64, 32 bytes), or one generated once into DATA_DIR. */
export function resolveKeyEncryptionKey(env: string | undefined, dataDir: string): { key: Buffer; source: 'PERSONAL_DATA_KEY' | 'DATA_DIR' } {
  if (env) {
    const key = Buffer.from(env, 'base64');
    if (key.length !== 32) throw new Error('PERSONAL_DATA_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`).');
    return { key, source: 'PERSONAL_DATA_KEY' };
  }
  const file = path.join(dataDir, 'personal-data.key');
  try {
    return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), source: 'DATA_DIR' };
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return { key, source: 'DATA_DIR' };
  }
}
