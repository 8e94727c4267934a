// The cheap-route policy: while a CP1KT target is breached, the use cases the operator named (and
// requests marked `x-semcache-priority: low`) go to a cheaper upstream/model. The pipeline asks it
// where each forwarded request goes; it reads the breach state from the metrics.
import type { RouteConfig } from '../config-finops.js';
import type { Cp1ktTarget } from '../config-pricing.js';
import type { LabelResolver } from './labels.js';

export type Route = { readonly name: 'primary' } | { readonly name: 'cheap'; readonly upstreamUrl: URL; readonly model: string };

export const PRIMARY_ROUTE: Route = Object.freeze({ name: 'primary' });

export interface RouteRequest {
  readonly model: string;
  readonly useCaseHeader?: string | undefined;
  readonly priority?: string | undefined;
}

export type RoutePolicy = (request: RouteRequest) => Route;

export function createRoutePolicy(options: { route: RouteConfig; labels: LabelResolver; breachedTargets: () => readonly Cp1ktTarget[] }): RoutePolicy {
  const { route, labels } = options;
  return (request) => {
    if (route.cheapUpstreamUrl === undefined) return PRIMARY_ROUTE;
    const model = labels.model(request.model, false);
    // A model's target concerns that model only; the other scopes concern all traffic.
    const breached = options.breachedTargets().some((t) => t.scope !== 'model' || t.name === model);
    if (!breached) return PRIMARY_ROUTE;
    const moves = request.priority?.toLowerCase() === 'low' || route.useCases.includes(labels.useCase(request.useCaseHeader));
    return moves ? { name: 'cheap', upstreamUrl: route.cheapUpstreamUrl, model: route.cheapModel ?? request.model } : PRIMARY_ROUTE;
  };
}
