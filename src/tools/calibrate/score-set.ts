// Scores every pair of a labelled set with one guard stage: the cosine of its two texts (embedded
// as the cache embeds a prompt, normalised), the word guards' verdict and the similarity after the
// support charge (on the texts as sent, as the cache guards them).
import type { GuardStage } from '../../cache/guards/index.js';
import { normalizeForEmbedding } from '../../cache/normalize.js';
import type { PairScore } from './calibration-report.js';
import { cosine } from '../../embed/unit-vector.js';
import type { LabelledSet } from './labelled-set.js';

export function scoreSet(set: LabelledSet, stage: GuardStage): PairScore[] {
  return set.rows.map((r): PairScore => {
    const a = set.vectors.get(normalizeForEmbedding(r.textA))!;
    const b = set.vectors.get(normalizeForEmbedding(r.textB))!;
    const similarity = cosine(a, b);
    const { verdict, supported } = stage.assess(r.textA, r.textB, similarity);
    const score: PairScore = verdict.pass
      ? { label: r.label, similarity, supported, guardPass: true }
      : { label: r.label, similarity, supported, guardPass: false, guard: verdict.guard };
    return r.kind === undefined ? score : { ...score, kind: r.kind };
  });
}
