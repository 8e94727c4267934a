// Reads a raw SSE response into its data payloads, for checking the wire format itself.
export async function readSse(response: Response): Promise<{ raw: string; data: string[] }> {
  const raw = await response.text();
  const data = raw
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
  return { raw, data };
}

export function chatRequest(content: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content }], ...extra });
}
