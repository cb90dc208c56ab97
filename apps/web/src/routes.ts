/** Hash routes (`#/overview?from=...`): the server serves one page, the address says which view. */

export type Route =
  | { name: 'home' }
  | { name: 'sign-in' }
  | { name: 'overview'; from?: string; to?: string; providerId?: string; service?: string; stepId?: string; kind?: string }
  | { name: 'case'; id: string }
  | { name: 'replay'; id: string; position?: string; at?: string }
  | { name: 'workload'; providerId?: string }
  | { name: 'complaints'; status?: string; providerId?: string }
  | { name: 'find-case' }
  | { name: 'not-found'; path: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function params(search: string, names: string[]): Record<string, string> {
  const q = new URLSearchParams(search);
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = q.get(n);
    if (v) out[n] = v;
  }
  return out;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart, search = ''] = raw.split('?');
  const segments = pathPart.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const [first, second, third] = segments;
  if (segments.length === 0) return { name: 'home' };
  if (first === 'sign-in' && segments.length === 1) return { name: 'sign-in' };
  if (first === 'overview' && segments.length === 1) return { name: 'overview', ...params(search, ['from', 'to', 'providerId', 'service', 'stepId', 'kind']) };
  if (first === 'workload' && segments.length === 1) return { name: 'workload', ...params(search, ['providerId']) };
  if (first === 'complaints' && segments.length === 1) return { name: 'complaints', ...params(search, ['status', 'providerId']) };
  if (first === 'cases' && segments.length === 1) return { name: 'find-case' };
  if (first === 'cases' && second && UUID.test(second)) {
    if (segments.length === 2) return { name: 'case', id: second.toLowerCase() };
    if (third === 'replay' && segments.length === 3) return { name: 'replay', id: second.toLowerCase(), ...params(search, ['position', 'at']) };
  }
  return { name: 'not-found', path: raw };
}

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'sign-in':
      return '#/sign-in';
    case 'overview': {
      const { name: _n, ...query } = route;
      return withQuery('/overview', query);
    }
    case 'workload':
      return withQuery('/workload', { providerId: route.providerId });
    case 'complaints':
      return withQuery('/complaints', { status: route.status, providerId: route.providerId });
    case 'find-case':
      return '#/cases';
    case 'case':
      return `#/cases/${route.id}`;
    case 'replay':
      return withQuery(`/cases/${route.id}/replay`, { position: route.position, at: route.at });
    case 'not-found':
      return `#${route.path}`;
  }
}

export const isCaseId = (value: string): boolean => UUID.test(value.trim());
