// Guards of this project work on tokenised text so a stage can tokenise each prompt once; `check`
// on strings is kept for callers that use one guard on its own (the `Guard` contract).

import type { Guard, GuardVerdict } from './guard.js';
import { tokenize, type TokenizedText } from './tokenize.js';

export interface TokenGuard extends Guard {
  checkTokens(query: TokenizedText, candidate: TokenizedText): GuardVerdict;
}

export const PASS: GuardVerdict = Object.freeze({ pass: true });

export function reject(reason: string): GuardVerdict {
  return { pass: false, reason };
}

export function defineTokenGuard(name: string, checkTokens: (query: TokenizedText, candidate: TokenizedText) => GuardVerdict): TokenGuard {
  return Object.freeze({
    name,
    checkTokens,
    check: (query: string, candidate: string) => checkTokens(tokenize(query), tokenize(candidate)),
  });
}
