/**
 * Whether the signed-in server answers. Every call to main passes through here: a network error
 * marks the connection as reconnecting (then offline after a few failed checks); the server is
 * then checked on a slowing timer, and once it answers every screen that failed reads again by
 * itself. The header shows the state; screens keep what they had loaded.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Envelope } from '../../../preload/api/contract';
import type { MsoApi } from '../../../preload/api/create-api';
import { ApiProvider } from './api-context';

export type ConnectionHealth = 'online' | 'reconnecting' | 'offline';

interface HealthState {
  health: ConnectionHealth;
  /** Listeners called once the server answers again after being away. */
  onRecovered(listener: () => void): () => void;
  /** Check now (the banner's Retry). */
  checkNow(): void;
}

const HealthContext = createContext<HealthState | null>(null);

/** Probe delays after a failure: quick at first, then every 30 s. */
const PROBE_DELAYS_MS = [2_000, 4_000, 8_000, 15_000, 30_000];
/** Failed checks after which "reconnecting" becomes "offline". */
const OFFLINE_AFTER = 2;

function wrapApi(api: MsoApi, report: (ok: boolean) => void): MsoApi {
  const wrapped: Record<string, unknown> = { on: api.on };
  for (const [name, method] of Object.entries(api)) {
    if (name === 'on' || typeof method !== 'function') continue;
    wrapped[name] = async (request?: unknown) => {
      const envelope = (await (method as (r?: unknown) => Promise<Envelope<unknown>>)(request)) as Envelope<unknown>;
      // Only calls that reach the server tell us about it; local ones (connections, app info) say nothing.
      if (!envelope.ok && envelope.error.code === 'network_error') report(false);
      else if (SERVER_CALLS.has(name) && (envelope.ok || envelope.error.code !== 'internal')) report(true);
      return envelope;
    };
  }
  return Object.freeze(wrapped) as MsoApi;
}

/** Channels that go to the Medplum server, so that their answer proves it is reachable. */
const SERVER_CALLS = new Set([
  'listClinics',
  'getClinic',
  'listClinicPatients',
  'listClinicClinicians',
  'listDirectory',
  'getClinician',
  'listPatients',
  'getPatient',
  'getPolicyStatus',
  'runAudit',
  'getClinicianAccess',
  'getPatientAccess',
  'getClinicAccess',
  'viewAsClinician',
  'testConnection',
  'medplumRead',
]);

export function ConnectionHealthProvider({ api, baseUrl, children }: { api: MsoApi; baseUrl: string | null; children: ReactNode }) {
  const [health, setHealth] = useState<ConnectionHealth>('online');
  const failures = useRef(0);
  const listeners = useRef(new Set<() => void>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const healthRef = useRef<ConnectionHealth>('online');
  const baseUrlRef = useRef(baseUrl);
  baseUrlRef.current = baseUrl;

  const report = useCallback((ok: boolean) => {
    if (ok) {
      failures.current = 0;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      if (healthRef.current !== 'online') {
        healthRef.current = 'online';
        setHealth('online');
        for (const listener of [...listeners.current]) listener();
      }
      return;
    }
    if (healthRef.current === 'online') {
      healthRef.current = 'reconnecting';
      setHealth('reconnecting');
    }
     
    schedule();
  }, []);

  const wrapped = useMemo(() => wrapApi(api, report), [api, report]);

  const probe = useCallback(async () => {
    timer.current = null;
    const url = baseUrlRef.current;
    if (!url) return;
    const result = await api.testConnection({ baseUrl: url });
    if (result.ok && result.value.reachable) {
      report(true);
      return;
    }
    failures.current++;
    if (failures.current >= OFFLINE_AFTER && healthRef.current !== 'offline') {
      healthRef.current = 'offline';
      setHealth('offline');
    }
     
    schedule();
  }, [api, report]);

  const probeRef = useRef(probe);
  probeRef.current = probe;
  function schedule() {
    if (timer.current) return;
    const delay = PROBE_DELAYS_MS[Math.min(failures.current, PROBE_DELAYS_MS.length - 1)] as number;
    timer.current = setTimeout(() => void probeRef.current(), delay);
  }

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  // A new sign-in starts fresh.
  useEffect(() => {
    failures.current = 0;
    healthRef.current = 'online';
    setHealth('online');
  }, [baseUrl]);

  const value = useMemo<HealthState>(
    () => ({
      health,
      onRecovered: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      checkNow: () => {
        if (timer.current) clearTimeout(timer.current);
        timer.current = null;
        void probeRef.current();
      },
    }),
    [health],
  );
  return (
    <HealthContext.Provider value={value}>
      <ApiProvider api={wrapped}>{children}</ApiProvider>
    </HealthContext.Provider>
  );
}

const standalone: HealthState = { health: 'online', onRecovered: () => () => undefined, checkNow: () => undefined };

/** The connection's state; outside the provider (component tests) always online. */
export function useConnectionHealth(): HealthState {
  return useContext(HealthContext) ?? standalone;
}
