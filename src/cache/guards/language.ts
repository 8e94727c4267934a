// A cached answer in one language is a wrong answer to a prompt in another, and multilingual
// encoders map translations close together. This guard tells languages apart cheaply: the
// dominant Unicode script first (Cyrillic, Arabic, Han...), then, for Latin script, which
// language's function words occur. It rejects only when both sides are identified and differ;
// short or mixed prompts stay "unknown" and pass.

import { PASS, defineTokenGuard, reject } from './token-guard.js';
import type { TokenizedText } from './tokenize.js';

const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['bengali', /\p{Script=Bengali}/u],
  ['tamil', /\p{Script=Tamil}/u],
  ['thai', /\p{Script=Thai}/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
];

// Frequent function words that are not also common English words (no "die", "was", "come", "per").
// Romance languages share some ("que", "de"); the winner must lead clearly, so sharing only blurs.
const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set([
    'the',
    'is',
    'are',
    'what',
    'how',
    'why',
    'which',
    'of',
    'and',
    'to',
    'do',
    'does',
    'you',
    'can',
    'for',
    'with',
    'my',
    'it',
    'should',
    'best',
    'this',
    'that',
    'i',
  ]),
  es: new Set([
    'el',
    'los',
    'las',
    'es',
    'qué',
    'que',
    'cómo',
    'por',
    'para',
    'con',
    'una',
    'del',
    'y',
    'mi',
    'se',
    'está',
    'puedo',
    'cuál',
    'hay',
    'mejor',
    'lo',
    'al',
    'porque',
    'la',
    'de',
    'dónde',
    'más',
    'cuándo',
    'cuánto',
  ]),
  fr: new Set([
    'le',
    'les',
    'est',
    'que',
    'comment',
    'pour',
    'avec',
    'une',
    'des',
    'du',
    'et',
    'mon',
    'je',
    'vous',
    'ce',
    'sont',
    'pourquoi',
    'quel',
    'quelle',
    'dans',
    'au',
    'aux',
    'pas',
    'il',
    'qui',
    'la',
    'de',
    'où',
    'plus',
  ]),
  de: new Set([
    'der',
    'das',
    'ist',
    'und',
    'wie',
    'warum',
    'mit',
    'für',
    'ein',
    'eine',
    'ich',
    'nicht',
    'zu',
    'den',
    'dem',
    'sind',
    'kann',
    'ich',
    'auf',
    'welche',
    'wo',
    'mein',
    'es',
    'sich',
  ]),
  pt: new Set([
    'os',
    'é',
    'que',
    'como',
    'por',
    'para',
    'com',
    'uma',
    'um',
    'do',
    'da',
    'em',
    'meu',
    'não',
    'são',
    'qual',
    'posso',
    'se',
    'ao',
    'dos',
    'das',
    'está',
    'de',
    'onde',
    'mais',
  ]),
  it: new Set([
    'il',
    'lo',
    'gli',
    'è',
    'che',
    'perché',
    'con',
    'una',
    'del',
    'della',
    'di',
    'mio',
    'non',
    'sono',
    'qual',
    'posso',
    'nel',
    'cosa',
    'dove',
    'quando',
    'ho',
    'la',
    'più',
  ]),
};

const ASCII_RE = /^[\x00-\x7f]*$/;
const LETTER_RE = /\p{L}/u;

function dominantScript(text: string): string | undefined {
  // Most prompts are plain ASCII: skip the per-character scan for them.
  if (ASCII_RE.test(text)) return /[a-z]/i.test(text) ? 'latin' : undefined;
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!LETTER_RE.test(ch)) continue;
    for (const [name, re] of SCRIPTS) {
      if (re.test(ch)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  // Japanese mixes kana with Han; any kana at all means Japanese rather than Chinese.
  if ((counts.get('kana') ?? 0) > 0) counts.set('kana', (counts.get('kana') ?? 0) + (counts.get('han') ?? 0));
  let best: string | undefined;
  let bestCount = 0;
  for (const [name, n] of counts) if (n > bestCount) [best, bestCount] = [name, n];
  return best;
}

function latinLanguage(text: TokenizedText): string | undefined {
  const scores: [string, number][] = Object.entries(STOPWORDS).map(([lang, words]) => [
    lang,
    text.tokens.reduce((n, t) => n + (words.has(t.lower) ? 1 : 0), 0),
  ]);
  scores.sort((x, y) => y[1] - x[1]);
  const [first, second] = scores;
  if (!first || first[1] < 2) return undefined;
  return first[1] >= 2 * (second?.[1] ?? 0) ? first[0] : undefined;
}

export function detectLanguage(text: TokenizedText): string | undefined {
  const script = dominantScript(text.text);
  return script === 'latin' ? latinLanguage(text) : script;
}

function checkLanguage(query: TokenizedText, candidate: TokenizedText) {
  const a = detectLanguage(query);
  const b = detectLanguage(candidate);
  if (a === undefined || b === undefined || a === b) return PASS;
  return reject(`languages differ: ${a} vs ${b}`);
}

export const languageGuard = defineTokenGuard('language', checkLanguage);
