import { z } from 'zod';

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  description?: string;
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: Array<{ name: string; description: string; required?: boolean }>;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentTypes?: string[] }>;
}

const operations: OperationSpec[] = [];

/** Each controller module registers the operations it serves; /docs/json is built from them. */
export function registerOperation(spec: OperationSpec): void {
  operations.push(spec);
}

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. STEP_OUT_OF_ORDER' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const [where, obj] of [['path', op.params], ['query', op.query]] as const) {
      if (!obj) continue;
      const js = schemaOf(obj) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema });
      }
    }
    for (const h of op.headers ?? []) parameters.push({ name: h.name, in: 'header', required: !!h.required, description: h.description, schema: { type: 'string' } });
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const types = r.contentTypes ?? ['application/json'];
      responses[status] = { description: r.description, ...(r.schema ? { content: Object.fromEntries(types.map((t) => [t, { schema: schemaOf(r.schema as z.ZodType) }])) } : {}) };
    }
    responses.default = { description: 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    const oapiPath = op.path.replace(/:(\w+)/g, '{$1}');
    paths[oapiPath] ??= {};
    paths[oapiPath][op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
      parameters,
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Special-education public services: compliance monitoring API',
      version: '1',
      description:
        'Records every procedural action on a case as an immutable event, judges each step against the legal norm in force, tracks complaints against their review terms and feeds the state monitoring system.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: { Problem: problem } },
    paths,
  };
}
