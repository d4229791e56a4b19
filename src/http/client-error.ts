// Malformed HTTP never reaches Express: Node's parser rejects it and, by default, answers a bare 400.
// The commonest cause with Fluxra is the Quickstart's own recipe: `printf ... | base64` wraps at 76
// characters (GNU coreutils), so a long agent_id:secret puts a line break inside the Authorization
// header. We answer such requests in the documented envelope, with a hint, through the one writer; a
// request that did not arrive in time (the server's headers and request timeouts) is 408 (RFC 9110
// 15.5.9), headers too large 431 (RFC 6585 5), and CONNECT, which Node hands to no request handler, 405.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, invalidRequest } from '../errors.ts';
import { rawErrorResponse } from './write-error.ts';

const HINT =
  'If you build a Basic header with `base64`, a value over 76 characters is wrapped onto two lines; use `base64 -w0` (GNU) or `base64 | tr -d "\\n"`.';

// llhttp's codes for a header broken by a bare line feed or a stray character.
const HEADER_ERRORS = new Set(['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_HEADER_VALUE', 'HPE_LF_EXPECTED', 'HPE_CR_EXPECTED']);

/** The error for a request Node's parser refused. */
function clientErrorOf(err: NodeJS.ErrnoException): ApiError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return new ApiError('INVALID_REQUEST', 'request headers too large', {}, 431);
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'HPE_HEADERS_TIMEOUT') {
    return new ApiError('INVALID_REQUEST', 'request timeout: the request did not arrive in full in time', {}, 408);
  }
  const header = HEADER_ERRORS.has(err.code ?? '');
  return invalidRequest(`malformed HTTP request (${err.code ?? 'parse error'})${header ? `. ${HINT}` : ''}`);
}

type SocketWithResponse = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

export function installClientErrorHandler(server: Server) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: SocketWithResponse) => {
    // As Node itself does: answer only when nothing of a response has been written on this socket.
    if (!socket.writable || err.code === 'ECONNRESET' || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(clientErrorOf(err)));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawErrorResponse(new ApiError('METHOD_NOT_ALLOWED', 'CONNECT is not supported: this is not a proxy')));
  });
}
