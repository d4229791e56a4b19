// Malformed HTTP never reaches Express: Node's parser rejects it and, by default, answers a bare 400.
// The commonest cause with Fluxra is the Quickstart's own recipe: `printf ... | base64` wraps at 76
// characters (GNU coreutils), so a long agent_id:secret puts a line break inside the Authorization
// header. We answer such requests in the documented envelope, with a hint.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const HINT =
  'If you build a Basic header with `base64`, a value over 76 characters is wrapped onto two lines; use `base64 -w0` (GNU) or `base64 | tr -d "\\n"`.';

// llhttp's codes for a header broken by a bare line feed or a stray character.
const HEADER_ERRORS = new Set(['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_HEADER_VALUE', 'HPE_LF_EXPECTED', 'HPE_CR_EXPECTED']);

export function clientErrorBody(err: NodeJS.ErrnoException & { code?: string }) {
  const header = HEADER_ERRORS.has(err.code ?? '');
  const message = `malformed HTTP request (${err.code ?? 'parse error'})${header ? `. ${HINT}` : ''}`;
  return JSON.stringify({ error: { code: 'INVALID_REQUEST', message } });
}

export function installClientErrorHandler(server: Server) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err as { code?: string }).code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = tooLarge
      ? JSON.stringify({ error: { code: 'INVALID_REQUEST', message: 'request headers too large' } })
      : clientErrorBody(err);
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
