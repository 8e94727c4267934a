// CP1KT targets as SLOs: each target is compared with its dimension's windowed CP1KT; crossing
// above it is a breach (one warn line and a webhook event), falling back to or under it a recovery.
// A window without priced tokens has no CP1KT and counts as not breaching.
import type { BreachWebhook } from './breach-webhook.js';
import { cp1ktOf, dimensionKey, type Cp1ktWindow } from './cp1kt-window.js';
import type { LogSink } from '../logger.js';
import type { Cp1ktTarget } from '../config-pricing.js';

export interface TargetState {
  readonly target: Cp1ktTarget;
  readonly observed: number | undefined;
  readonly breach: boolean;
}

export interface Cp1ktTargets {
  /** Re-reads every target's windowed CP1KT and acts on changes of state. */
  evaluate(): void;
  states(): readonly TargetState[];
  breached(): readonly Cp1ktTarget[];
}

/** A breached target recovers only below this share of it, so that CP1KT hovering at the target
 * does not flip routing, log lines and webhooks on every request. */
export const RECOVERY_RATIO = 0.95;

function isBreach(previous: TargetState, observed: number | undefined): boolean {
  if (observed === undefined) return false;
  const limit = previous.target.cp1ktUsd;
  return previous.breach ? observed > limit * RECOVERY_RATIO : observed > limit;
}

export function createCp1ktTargets(options: {
  targets: readonly Cp1ktTarget[];
  window: Cp1ktWindow;
  windowSeconds: number;
  logger: LogSink;
  webhook: BreachWebhook;
  now: () => number;
}): Cp1ktTargets {
  const { window, logger, webhook } = options;
  let states: TargetState[] = options.targets.map((target) => ({ target, observed: undefined, breach: false }));

  const announce = (state: TargetState): void => {
    const { target } = state;
    const fields = {
      scope: target.scope,
      name: target.name,
      targetUsd: target.cp1ktUsd,
      observedUsd: state.observed ?? null,
      windowSeconds: options.windowSeconds,
    };
    if (state.breach) logger.warn(fields, 'cp1kt target breached');
    else logger.info(fields, 'cp1kt back under target');
    webhook.send({
      event: state.breach ? 'breach' : 'recovery',
      dimension: { scope: target.scope, name: target.name },
      target: target.cp1ktUsd,
      observed: state.observed ?? null,
      window: { seconds: options.windowSeconds },
      at: new Date(options.now()).toISOString(),
    });
  };

  return {
    evaluate() {
      states = states.map((previous) => {
        const observed = cp1ktOf(window.window(dimensionKey(previous.target.scope, previous.target.name)));
        const next = { target: previous.target, observed, breach: isBreach(previous, observed) };
        if (next.breach !== previous.breach) announce(next);
        return next;
      });
    },
    states: () => states,
    breached: () => states.filter((s) => s.breach).map((s) => s.target),
  };
}
