// A cached route's request forwarded byte for byte, as when the cache is bypassed or disabled.
import { upstreamRequestHeaders } from '../upstream/hop-by-hop.js';
import { abortOnClientClose, callUpstream, relayResponse } from '../upstream/forward.js';
import type { CompletionHandler } from './completion-routes.js';
import type { Upstream } from '../upstream/upstream.js';

export function createForwardingHandler(upstream: Upstream): CompletionHandler {
  return async ({ request, reply, raw }) => {
    const controller = abortOnClientClose(reply);
    const response = await callUpstream(upstream, {
      method: 'POST',
      path: upstream.pathFor(request.url),
      headers: upstreamRequestHeaders(request.headers, { keepContentLength: false }),
      body: raw,
      signal: controller.signal,
    });
    return relayResponse(request, reply, response);
  };
}
