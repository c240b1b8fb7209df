import { SettingError } from '../errors';
import { HTTP_ROUTES, WS_ROUTES } from '../routes';
import { delaySpecFrom, sampleDelay, type DelaySpec } from './delay-spec';

/** The delays in force: one for every route, and per route (by path) overrides. */
export interface LatencySettings {
  default: DelaySpec | null;
  routes: Record<string, DelaySpec>;
}

/**
 * The server's latency: a delay for every route, overrides per route, and
 * the per-request preference on top. Holds the settings given at start so a
 * reset can return to them.
 */
export class LatencyPolicy {
  private current: LatencySettings;

  constructor(
    private readonly initial: LatencySettings = { default: null, routes: {} },
    private readonly random: () => number = Math.random,
  ) {
    this.current = cloneSettings(initial);
  }

  settings(): LatencySettings {
    return cloneSettings(this.current);
  }

  replace(settings: LatencySettings): void {
    this.current = cloneSettings(settings);
  }

  reset(): void {
    this.current = cloneSettings(this.initial);
  }

  /**
   * The spec that applies to `route`, if any: the request's own, else the route's, else the
   * server's.
   */
  specFor(route: string, requested?: DelaySpec): DelaySpec | undefined {
    return requested ?? this.current.routes[route] ?? this.current.default ?? undefined;
  }

  /** A delay in ms drawn for one request or message on `route`; 0 when none applies. */
  delayFor(route: string, requested?: DelaySpec): number {
    const spec = this.specFor(route, requested);
    return spec === undefined ? 0 : Math.round(sampleDelay(spec, this.random));
  }
}

/**
 * Latency settings from a control request:
 * `{ "default": "200ms" | {...} | null, "routes": { "/api/tasks/running": "100ms-1s" } }`.
 */
export function latencySettingsFrom(value: unknown): LatencySettings {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SettingError('latency settings are an object with "default" and "routes"');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'default' && key !== 'routes')
      throw new SettingError(`latency settings have no field "${key}"`);
  }

  const routes: Record<string, DelaySpec> = {};
  if (v.routes !== undefined) {
    if (v.routes === null || typeof v.routes !== 'object' || Array.isArray(v.routes))
      throw new SettingError('"routes" maps a path (like /api/tasks/running) to a delay');
    for (const [route, spec] of Object.entries(v.routes as Record<string, unknown>)) {
      checkRoute(route);
      routes[route] = delaySpecFrom(spec);
    }
  }
  const fallback = v.default === undefined || v.default === null ? null : delaySpecFrom(v.default);
  return { default: fallback, routes };
}

/**
 * Per-route delays written on the command line: `/api/tasks/running=200ms`,
 * several separated by commas.
 */
export function parseRouteDelays(text: string): Record<string, DelaySpec> {
  const routes: Record<string, DelaySpec> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [route, spec] = part.split('=', 2).map((s) => s.trim());
    if (!route?.startsWith('/') || spec === undefined || spec === '')
      throw new SettingError(`expected ROUTE=DELAY like /api/tasks/running=200ms, got "${part}"`);
    checkRoute(route);
    routes[route] = delaySpecFrom(spec);
  }
  return routes;
}

/** The paths a per-route delay may name: the API's HTTP and websocket routes. */
const API_ROUTES: readonly string[] = [...Object.values(HTTP_ROUTES), ...Object.values(WS_ROUTES)];

/** A delay for a path the API does not have would silently do nothing: a typo, refused. */
function checkRoute(route: string): void {
  if (!API_ROUTES.includes(route))
    throw new SettingError(`"${route}" is not one of the API's routes (${API_ROUTES.join(', ')})`);
}

function cloneSettings(settings: LatencySettings): LatencySettings {
  return { default: settings.default, routes: { ...settings.routes } };
}
