// Writing an answer: what Express 5's res.json/res.send did for the fake's answers (lib/response.js), on
// Node's own response, so every answer of either plane leaves through here, with Express in front or
// not (src/app.ts). A string body gets `charset=utf-8` on its Content-Type and a Content-Length of its
// UTF-8 bytes; HEAD gets the headers without the body (RFC 9110 9.3.2); no body: the status and headers
// only. A deliberate difference: Express answered a GET carrying `If-None-Match: *` with 304 (its
// freshness check); the fake sends no validators, so it answers such a GET as any other.
import type { OutgoingHttpHeaders } from 'node:http';
import type { ExchangeRequest, ExchangeResponse } from './locals.ts';

export function respond(
  req: ExchangeRequest,
  res: ExchangeResponse,
  status: number,
  headers: OutgoingHttpHeaders | undefined,
  contentType: string | undefined,
  body: string | undefined,
): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', contentType!.includes('charset=') ? contentType! : `${contentType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** A JSON answer, serialised as Express's res.json did (JSON.stringify, no replacer, no spaces). */
export const respondJson = (req: ExchangeRequest, res: ExchangeResponse, status: number, headers: OutgoingHttpHeaders | undefined, value: unknown) =>
  respond(req, res, status, headers, 'application/json', JSON.stringify(value));
