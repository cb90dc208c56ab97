import { hrefOf, parseHash, type Route } from './routes.js';

describe('Dashboard addresses', () => {
  it.each<Route>([
    { name: 'home' },
    { name: 'sign-in' },
    { name: 'overview', from: '2019-01-01', to: '2019-12-31', providerId: 'pmpc-almaty-1', service: 'pmpc-examination', stepId: 'pmpc-3', kind: 'late' },
    { name: 'overview' },
    { name: 'case', id: '49a21a9e-0745-55bf-a252-fa3b0773ea78' },
    { name: 'replay', id: '49a21a9e-0745-55bf-a252-fa3b0773ea78', position: '210' },
    { name: 'replay', id: '49a21a9e-0745-55bf-a252-fa3b0773ea78', at: '2019-06-10T12:00:00+06:00' },
    { name: 'workload', providerId: 'school-esik-5' },
    { name: 'complaints', status: 'overdue' },
    { name: 'find-case' },
  ])('reads back the view it links to: %o', (route) => {
    expect(parseHash(hrefOf(route))).toEqual(route);
  });

  it('keeps filters out of the address when they are empty', () => {
    expect(hrefOf({ name: 'overview', from: '', providerId: undefined })).toBe('#/overview');
  });

  it('says which address it does not know instead of guessing a view', () => {
    expect(parseHash('#/cases/not-a-case-id')).toEqual({ name: 'not-found', path: '/cases/not-a-case-id' });
    expect(parseHash('#/overview/extra')).toEqual({ name: 'not-found', path: '/overview/extra' });
  });

  it('opens the home view for an empty address', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
  });
});
