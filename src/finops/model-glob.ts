// Model patterns in the pricing file: `*` matches any run of characters, `?` one character, the
// rest is literal (so `gpt-4o.mini` does not match `gpt-4oXmini`). Matching is case-sensitive, as
// OpenAI-compatible servers treat model ids.

export type ModelMatcher = (model: string) => boolean;

export function compileModelGlob(pattern: string): ModelMatcher {
  const source = pattern
    .split('')
    .map((char) => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (model) => regex.test(model);
}
