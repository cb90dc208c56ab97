/** The public HTTP API, same origin, with the user's bearer token. Errors carry the API's problem document. */

export interface Problem {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  title: string;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }
}

/** `?a=1&b=2` from the defined, non-empty values (in the given order). */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    return { status: res.status, title: body.title ?? res.statusText, detail: body.detail, code: body.code, errors: body.errors };
  } catch {
    return { status: res.status, title: res.statusText || `HTTP ${res.status}`, detail: text.slice(0, 300) || undefined };
  }
}

async function send(path: string, token: string | null, init: { method?: string; body?: unknown; accept?: string; signal?: AbortSignal }): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'The server could not be reached', detail: (error as Error).message });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  return res;
}

export async function getJson<T>(path: string, token: string | null, signal?: AbortSignal): Promise<T> {
  return (await send(path, token, { signal })).json() as Promise<T>;
}

export async function postJson<T>(path: string, token: string | null, body: unknown): Promise<T> {
  return (await send(path, token, { method: 'POST', body })).json() as Promise<T>;
}

/** A CSV export: the text and the file name the server suggests. */
export async function getCsv(path: string, token: string | null): Promise<{ text: string; filename: string }> {
  const res = await send(path, token, { accept: 'text/csv' });
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'export.csv';
  return { text: await res.text(), filename };
}
