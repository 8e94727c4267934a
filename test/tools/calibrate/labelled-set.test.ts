import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalibrateInputError, embedLabelledInput, readLabelledInput } from '../../../src/tools/calibrate/labelled-set.js';
import { at, handEmbedder } from '../../helpers/hand-embedder.js';

describe('labelled sets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semcache-labelled-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pairs each prompt of a stream with its most similar earlier prompt, labelled by intent', async () => {
    const file = join(dir, 'stream.jsonl');
    const lines = [
      { prompt: 'card lost', intent: 'lost_card' },
      { prompt: 'top up failed', intent: 'top_up_failed' },
      { prompt: 'lost my card', intent: 'lost_card' },
      { prompt: 'top up pending', intent: 'pending_top_up' },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const vectors = new Map([
      ['card lost', at(0)],
      ['top up failed', at(1)],
      ['lost my card', at(0.1)],
      ['top up pending', at(1.05)],
    ]);
    const input = await readLabelledInput(file, Number.POSITIVE_INFINITY);
    const set = await embedLabelledInput(input, handEmbedder(vectors), { workers: 1, stderr: new PassThrough() });
    expect(set.derived).toBe(true);
    expect(set.rows).toEqual([
      { label: 0, textA: 'top up failed', textB: 'card lost' },
      { label: 1, textA: 'lost my card', textB: 'card lost' },
      { label: 0, textA: 'top up pending', textB: 'top up failed' },
    ]);
  });

  it('keeps the kind column of a pairs file', async () => {
    const file = join(dir, 'pairs.tsv');
    await writeFile(file, 'label\ttext_a\ttext_b\tkind\n0\tA replaced B\tB replaced A\tswap\n1\tA replaced B\tB was replaced by A\tvoice\n');
    const input = await readLabelledInput(file, Number.POSITIVE_INFINITY);
    expect(input).toEqual({
      file,
      kind: 'pairs',
      rows: [
        { label: 0, textA: 'A replaced B', textB: 'B replaced A', kind: 'swap' },
        { label: 1, textA: 'A replaced B', textB: 'B was replaced by A', kind: 'voice' },
      ],
    });
  });

  it('refuses a stream of fewer than two prompts before any model is loaded', async () => {
    const file = join(dir, 'one.jsonl');
    await writeFile(file, '{"prompt": "hi"}\n');
    await expect(readLabelledInput(file, Number.POSITIVE_INFINITY)).rejects.toThrow(CalibrateInputError);
  });
});
