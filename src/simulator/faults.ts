import type { EndpointFamily } from './endpoint-family.js';
import { normal, seededRandom } from './random.js';
import type { FaultKind, FaultRule, LatencyConfig, RealismConfig } from './realism.js';

/** Decides, per request, which injected fault (if any) applies and how long to wait. */
export class Chaos {
  private readonly random: () => number;
  private readonly seen: number[];
  private readonly injected: number[];
  private readonly rules: readonly FaultRule[];

  constructor(private readonly realism: RealismConfig) {
    this.random = seededRandom(realism.seed ?? 1);
    this.rules = realism.faults ?? [];
    this.seen = this.rules.map(() => 0);
    this.injected = this.rules.map(() => 0);
  }

  /** Whether rule `index` fires for this request (counting it as seen and, if so, as injected). */
  private fires(index: number, rule: FaultRule, family: EndpointFamily, pathAndQuery: string): boolean {
    if (rule.family !== undefined && rule.family !== family) return false;
    if (rule.path !== undefined && !pathAndQuery.includes(rule.path)) return false;
    const seen = (this.seen[index] ?? 0) + 1;
    this.seen[index] = seen;
    if (seen <= (rule.after ?? 0)) return false;
    if (rule.limit !== undefined && (this.injected[index] ?? 0) >= rule.limit) return false;
    if (this.random() >= (rule.rate ?? 1)) return false;
    this.injected[index] = (this.injected[index] ?? 0) + 1;
    return true;
  }

  /** The first rule matching this request that fires, in config order (`replaceValue` aside). */
  fault(family: EndpointFamily, pathAndQuery: string, kinds?: readonly FaultKind[]): FaultKind | undefined {
    for (const [index, rule] of this.rules.entries()) {
      if (rule.kind === 'replaceValue') continue;
      if (kinds !== undefined && !kinds.includes(rule.kind)) continue;
      if (this.fires(index, rule, family, pathAndQuery)) return rule.kind;
    }
    return undefined;
  }

  /** The `replaceValue` rules that fire for this response: which value to serve where. */
  replacements(family: EndpointFamily, pathAndQuery: string): readonly FaultRule[] {
    return this.rules.filter(
      (rule, index) => rule.kind === 'replaceValue' && this.fires(index, rule, family, pathAndQuery),
    );
  }

  /** A latency sample in ms for a family, or 0 when latency is off. */
  latency(family: EndpointFamily): number {
    const config: LatencyConfig | undefined = this.realism.latencyByFamily?.[family] ?? this.realism.latency;
    if (config === undefined) return 0;
    switch (config.kind) {
      case 'fixed':
        return config.ms;
      case 'uniform':
        return config.minMs + this.random() * (config.maxMs - config.minMs);
      case 'lognormal':
        return config.medianMs * Math.exp(config.sigma * normal(this.random));
    }
  }
}
