// Malformed HTTP never reaches Express: Node's parser rejects it and, by default, answers a bare 400.
// The commonest cause with Fluxra is the Quickstart's own recipe: `printf ... | base64` wraps at 76
// characters (GNU coreutils), so a long agent_id:secret puts a line break inside the Authorization
// header. We answer such requests in the documented envelope, with a hint, through the one writer.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, invalidRequest } from '../errors.ts';
import { rawErrorResponse } from './write-error.ts';

const HINT =
  'If you build a Basic header with `base64`, a value over 76 characters is wrapped onto two lines; use `base64 -w0` (GNU) or `base64 | tr -d "\\n"`.';

// llhttp's codes for a header broken by a bare line feed or a stray character.
const HEADER_ERRORS = new Set(['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_HEADER_VALUE', 'HPE_LF_EXPECTED', 'HPE_CR_EXPECTED']);

/** The error for a request Node's parser refused. */
function clientErrorOf(err: NodeJS.ErrnoException): ApiError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return new ApiError('INVALID_REQUEST', 'request headers too large', {}, 431);
  const header = HEADER_ERRORS.has(err.code ?? '');
  return invalidRequest(`malformed HTTP request (${err.code ?? 'parse error'})${header ? `. ${HINT}` : ''}`);
}

export function installClientErrorHandler(server: Server) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(clientErrorOf(err)));
  });
}
