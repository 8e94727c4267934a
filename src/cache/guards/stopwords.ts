// English function words: they carry grammar, not the topic, so guards comparing what two prompts
// are about skip them.

export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'so', 'of', 'in', 'on', 'at', 'by', 'for', 'with',
  'about', 'as', 'into', 'onto', 'to', 'from', 'than', 'over', 'under', 'up', 'down', 'out', 'off',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'doing', 'done',
  'have', 'has', 'had', 'having', 'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might',
  'must', 'i', 'me', 'my', 'mine', 'we', 'us', 'our', 'you', 'your', 'he', 'him', 'his', 'she', 'her',
  'it', 'its', 'they', 'them', 'their', 'this', 'that', 'these', 'those', 'there', 'here', 'what',
  'which', 'who', 'whom', 'whose', 'why', 'how', 'when', 'where', 'some', 'any', 'all', 'each',
  'every', 'other', 'such', 'very', 'just', 'also', 'too', 'get', 'got', 'way', 'ways', 'vs', 'versus',
]);
