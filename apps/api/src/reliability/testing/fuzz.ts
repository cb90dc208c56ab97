import fc from 'fast-check';

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /v1/cases/{id}/actions */
  path: string;
  pathParams: string[];
  query: string[];
  /** Property names of the request body's schema (all branches of a union), for wrong-typed values. */
  bodyFields: string[] | null;
  public: boolean;
  label: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content?: Record<string, { schema?: unknown }> }; security?: unknown[] }>>;
}

function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return into;
  const s = schema as { properties?: Record<string, unknown>; oneOf?: unknown[]; anyOf?: unknown[]; allOf?: unknown[] };
  for (const [name, sub] of Object.entries(s.properties ?? {})) {
    into.add(name);
    propertyNames(sub, into);
  }
  for (const branch of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) propertyNames(branch, into);
  return into;
}

/** Every operation of the document: new endpoints are fuzzed as soon as they are documented. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: op.requestBody ? [...propertyNames(schema)] : null,
        public: Array.isArray(op.security) && op.security.length === 0,
        label: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return ops;
}

// ------------------------------------------------------------------------------------------- strings

/** Strings that have broken parsers, databases and templating before. */
export const NASTY_STRINGS = [
  "' OR '1'='1",
  "1'; DROP TABLE event_store.events; --",
  'SELECT pg_sleep(10)',
  '$.store.book[*].author',
  '$..*',
  "$[?(@.price < 10)]",
  '{"$gt": ""}',
  '{{7*7}}',
  '${7*7}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/dev/null',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'lone \udfff low',
  '\udfff\ud800',
  '\u202eevil\u202c',
  '\u200f\u200e\u200b',
  'مرحبا بالعالم',
  'שלום עולם',
  'Сәлем әлем',
  '👍🏽👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301\u0301',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f',
  '\ufeffBOM',
  '\uffff\ufffe',
  '\u2028\u2029',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  '',
  ' ',
  '\t\n\r',
  '<script>alert(1)</script>',
  '%00',
  '\\',
  '"',
  '`',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.integer({ min: 100, max: 5000 })).map(([s, n]) => s.repeat(Math.ceil(n / Math.max(1, s.length)))) },
);

/** A value of the wrong kind for almost any field. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -1e308),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'id', 'occurredAt', '$where', '$gt', '', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 12 }));

/** Arbitrary JSON with odd keys (prototype pollution included) and odd strings. */
export const oddJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddValue,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

// -------------------------------------------------------------------------------------------- bodies

export interface RawBody {
  description: string;
  body: string | Uint8Array;
  contentType?: string;
}

const MALFORMED_JSON = [
  '{',
  '{"type":',
  '{"type": "AcceptDocuments",}',
  "{'type': 'AcceptDocuments'}",
  '{"a":1}}',
  '[1, 2',
  'NaN',
  '{"a": NaN}',
  '{"a": undefined}',
  '/* comment */ {}',
  '{"a": 01}',
  '{"a": "\\x41"}',
  '{"a": "\\ud800"}',
  '{"a": "unterminated}',
  '\u0000',
  'null',
  'true',
  '"just a string"',
  '12345',
  '',
  '   ',
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"a": {"__proto__": {"isAdmin": true}}}',
  '{"type": "AcceptDocuments", "type": "SendToHead"}',
];

/** A request body that is not what the endpoint takes: malformed, mistyped, of another media type, or in the wrong encoding. */
export function badBody(fields: string[]): fc.Arbitrary<RawBody> {
  const mistyped = fields.length
    ? fc.dictionary(fc.constantFrom(...fields), oddValue, { minKeys: 1, maxKeys: Math.min(6, fields.length) }).map((o) => ({ description: 'schema fields with wrong values', body: JSON.stringify(o) }))
    : fc.constant({ description: 'an empty object', body: '{}' });
  return fc.oneof(
    { weight: 3, arbitrary: mistyped },
    { weight: 2, arbitrary: oddJson.map((v) => ({ description: 'arbitrary JSON', body: JSON.stringify(v) ?? 'null' })) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((b) => ({ description: 'malformed JSON', body: b })) },
    {
      weight: 1,
      arbitrary: fc.tuple(oddJson, fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/javascript', 'image/png')).map(([v, contentType]) => ({
        description: `another media type (${contentType})`,
        body: contentType.includes('form-urlencoded') ? 'type=AcceptDocuments&__proto__[x]=1' : (JSON.stringify(v) ?? 'null'),
        contentType,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { description: 'UTF-16 encoded JSON', body: new Uint8Array(Buffer.from('{"type":"AcceptDocuments"}', 'utf16le')) },
        { description: 'invalid UTF-8 bytes', body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
        { description: 'a byte order mark', body: '\ufeff{"type":"AcceptDocuments"}' },
      ),
    },
  );
}

/** Deep nesting within the body limit: arrays, objects, and nested under a real field name. */
export function deepBody(bodyLimit: number, fields: string[]): fc.Arbitrary<RawBody> {
  const field = fields[0] ?? 'type';
  return fc.tuple(fc.integer({ min: 1_000, max: Math.floor(bodyLimit / 12) }), fc.constantFrom('array', 'object', 'field')).map(([depth, kind]) => {
    // Arrays take two bytes a level: as deep as the limit allows.
    if (kind === 'array') return { description: `arrays nested ${depth * 5} deep`, body: '['.repeat(depth * 5) + ']'.repeat(depth * 5) };
    if (kind === 'object') return { description: `objects nested ${depth} deep`, body: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) };
    return { description: `${field} nested ${depth} deep`, body: `{"${field}":` + '{"x":'.repeat(depth) + 'null' + '}'.repeat(depth) + '}' };
  });
}

/** Bodies over the limit: one byte over, or far over. */
export function hugeBody(bodyLimit: number): fc.Arbitrary<RawBody> {
  return fc.tuple(fc.integer({ min: 1, max: bodyLimit * 3 }), fc.constantFrom('string', 'array')).map(([over, kind]) => {
    const size = bodyLimit + over;
    const body = kind === 'string' ? `{"text":"${'я'.repeat(Math.ceil(size / 2))}"}` : `[${'1,'.repeat(Math.ceil(size / 2))}1]`;
    return { description: `${kind} body of ${Buffer.byteLength(body)} bytes`, body };
  });
}

// ------------------------------------------------------------------------------------------- headers

/** A header value fetch will send: visible ASCII and Latin-1, no leading or trailing blanks. */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).filter((c) => c !== 0x7f && (c < 0x80 || c >= 0xa1)).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 300 }),
  fc.constantFrom("' OR '1'='1", '../../etc/passwd', '__proto__', '${jndi:ldap://x/a}', 'é', 'a'.repeat(5000)),
);

export const ifMatchValue: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('*', '"abc"', 'W/"x"', '1, 2', '-1', '"-1"', '1.5', '0x10', '99999999999999999999', '"', 'W/', '1e3'), headerText);

export const contentTypeValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=latin1', 'application/json;;', 'application/jsonx', '*/*', 'application/x-www-form-urlencoded', 'multipart/form-data'),
  headerText,
);

/** Path segments: existing ids (so the handler runs), random UUIDs, and odd text. */
export function pathValue(existing: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...existing) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: nastyString.map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', '%ff', '%', 'a%2fb', '%u0041', 'x'.repeat(250)) },
  );
}

/** Percent-encodes a path segment or query value; a lone surrogate goes as the (invalid) UTF-8 bytes it would have. */
export function encodeSegment(value: string): string {
  return value
    .split(/([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/)
    .map((part) => {
      if (part.length !== 1 || !/[\uD800-\uDFFF]/.test(part)) return encodeURIComponent(part);
      const u = part.charCodeAt(0);
      return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

/** A query string over the documented parameters (and a few undocumented ones), with odd values and repeats. */
export function queryString(names: string[]): fc.Arbitrary<string> {
  const name = fc.oneof({ weight: 4, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant('q') }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor[prototype][x]', 'a[b]', 'unknown', '') });
  const value = fc.oneof(nastyString, fc.integer().map(String), fc.constantFrom('', '-1', '1e999', 'true', '2019-02-30', '2019-13-01T25:00:00Z', '0001-01-01', '9999-12-31', '%', '%zz'));
  return fc.array(fc.tuple(name, value), { maxLength: 6 }).map((pairs) => {
    if (pairs.length === 0) return '';
    return '?' + pairs.map(([k, v]) => `${encodeSegment(k)}=${v === '%' || v === '%zz' ? v : encodeSegment(v)}`).join('&');
  });
}

// ---------------------------------------------------------------------------------- mutated valid bodies

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

function paths(value: Json, prefix: Path = []): Array<{ path: Path; value: Json }> {
  const here = prefix.length ? [{ path: prefix, value }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function setAt(root: Json, path: Path, replace: (old: Json) => Json): Json {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  node[last] = replace(node[last]);
  return copy;
}

const kindOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const OTHER_KINDS: Array<[string, Json]> = [
  ['number', 42],
  ['number', -1.5e300],
  ['boolean', true],
  ['object', { type: 'AcceptDocuments' }],
  ['array', ['x']],
  ['string', '42'],
];

/**
 * A valid body with one thing broken so that it can no longer be valid: a value replaced by one of another
 * JSON type (never null: some fields are nullable), or an unknown field added to one of its objects (they are
 * all strict). Reaches the nested validation a random body never gets past the first field to.
 */
export function mutatedBody(template: Json): fc.Arbitrary<RawBody> {
  const all = paths(template);
  const objects = [{ path: [] as Path, value: template }, ...all].filter((p) => p.value && typeof p.value === 'object' && !Array.isArray(p.value));
  const retyped = fc.tuple(fc.constantFrom(...all), fc.constantFrom(...OTHER_KINDS)).filter(([p, [kind]]) => kind !== kindOf(p.value)).map(([p, [, replacement]]) => ({
    description: `${p.path.join('.')} as ${kindOf(replacement)}`,
    body: JSON.stringify(setAt(template, p.path, () => replacement)),
  }));
  const extra = fc.tuple(fc.constantFrom(...objects), fc.constantFrom('constructor', 'prototype', 'isAdmin', 'actor', 'providerId2', '$where', 'x'), oddValue).map(([p, key, value]) => {
    const body = p.path.length ? setAt(template, p.path, (old) => ({ ...(old as Record<string, Json>), [key]: value as Json })) : { ...(template as Record<string, Json>), [key]: value as Json };
    return { description: `unknown field ${[...p.path, key].join('.')}`, body: JSON.stringify(body) };
  });
  return fc.oneof(retyped, extra);
}
