import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getJson } from './api.js';
import { useI18n } from './i18n/context.js';
import type { Localized, ProviderInfo, RegulationList, ServiceInForce } from './types.js';

/** Public reference data: the provider directory and each regulation's step names (three languages). */
interface Reference {
  providers: ProviderInfo[];
  steps: Map<string, { order: number; action: Localized; service: string }>;
  /** Why the reference data is missing, when it is. */
  error: unknown;
}

const ReferenceContext = createContext<Reference>({ providers: [], steps: new Map(), error: null });

async function loadSteps(): Promise<Reference['steps']> {
  const list = await getJson<RegulationList>('/v1/regulations', null);
  const steps: Reference['steps'] = new Map();
  const pairs = list.regulations.flatMap((r) => r.services.map((s) => ({ service: s.code, at: r.inForce.from })));
  const answers = await Promise.all(pairs.map((p) => getJson<ServiceInForce>(`/v1/regulations/${p.service}?at=${p.at}`, null)));
  for (const a of answers) for (const s of a.service.steps) steps.set(s.id, { order: s.order, action: s.action, service: a.service.code });
  return steps;
}

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<Reference>({ providers: [], steps: new Map(), error: null });
  useEffect(() => {
    let live = true;
    Promise.all([getJson<{ items: ProviderInfo[] }>('/v1/providers', null), loadSteps()]).then(
      ([providers, steps]) => live && setValue({ providers: providers.items, steps, error: null }),
      (error: unknown) => live && setValue((v) => ({ ...v, error })),
    );
    return () => {
      live = false;
    };
  }, []);
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): Reference {
  return useContext(ReferenceContext);
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** Names of providers, services and steps in the chosen language (ids while the directory loads). */
export function useNames() {
  const { providers, steps } = useReference();
  const { locale, t, tv } = useI18n();
  return useMemo(() => {
    const byId = new Map(providers.map((p) => [p.id, p]));
    return {
      provider: (id: string | null | undefined) => (id ? (byId.get(id)?.name[locale] ?? id) : '—'),
      service: (code: string | null | undefined) => tv('service', code),
      /** "3. hold the examination …" (full text) */
      step: (stepId: string | null | undefined) => {
        if (!stepId) return '—';
        const s = steps.get(stepId);
        return s ? `${s.order}. ${s.action[locale]}` : stepId;
      },
      /** The step's number and the start of its action, for chart axes. */
      stepShort: (stepId: string, max = 38) => {
        const s = steps.get(stepId);
        return s ? shorten(`${s.order}. ${s.action[locale]}`, max) : stepId;
      },
      stepsOf: (service: string | undefined) => [...steps.entries()].filter(([, s]) => !service || s.service === service).map(([id, s]) => ({ id, order: s.order, service: s.service })),
      role: (role: string | null | undefined) => tv('role', role),
      t,
    };
  }, [providers, steps, locale, t, tv]);
}
