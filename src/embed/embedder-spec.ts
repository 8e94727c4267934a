// The embedder the configuration asks for, as the spec createEmbedder takes.
import type { EmbedConfig } from '../config.js';
import type { EmbedderSpec } from './create-embedder.js';

export function embedderSpec(embed: EmbedConfig): EmbedderSpec {
  switch (embed.backend) {
    case 'use':
    case 'use-tfjs':
      return { kind: embed.backend };
    case 'transformers':
      return {
        kind: 'transformers',
        model: embed.model,
        allowRemote: embed.allowRemote,
        ...(embed.cacheDir === undefined ? {} : { cacheDir: embed.cacheDir }),
      };
    case 'openai':
      // loadConfig refuses openai without a URL, so `url` is set here.
      return {
        kind: 'openai',
        url: embed.url as URL,
        model: embed.model,
        apiKey: embed.apiKey,
        timeoutMs: embed.timeoutMs,
        batchWaitMs: embed.batchWaitMs,
        dimension: embed.dimension,
      };
  }
}
