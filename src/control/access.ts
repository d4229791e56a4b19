// Who may use the control plane. It can read everything (a snapshot holds the JWT signing key, with which
// a token for any agent can be minted) and reset everything, so it answers only requests that come from
// the fake's own machine, not through a web page:
// - Host must name the fake's own address: a loopback name (localhost, *.localhost, 127.0.0.0/8, ::1),
//   the specific address it is bound to, or a name given with --allow-host. A page on another site that
//   rebinds its DNS name to 127.0.0.1 still sends its own name as Host (RFC 9110 7.2), so it is refused;
//   with an absolute-form request target the target's authority counts instead (RFC 9112 3.2.2).
// - A request that carries Origin (every cross-origin fetch and form does) must come from the fake's own
//   origin; `Origin: null` and Sec-Fetch-Site cross-site / same-site are refused (Fetch Metadata).
// - A request with a body must say it is JSON: a form or text/plain body (what a page can send without a
//   CORS preflight) is refused before anything runs.
// - With --control-token, every operation but the document and the dashboard page needs
//   `Authorization: Bearer <token>` (checked by the plane's authenticate, plane.ts).
import { timingSafeEqual } from 'node:crypto';
import type { ExchangeRequest } from '../http/locals.ts';
import { forbidden, invalidRequest, unauthorized, type ApiError } from '../errors.ts';

export interface ControlAccess {
  /** Host names besides the loopback ones and the bound address that may reach the control plane. */
  allowHosts?: readonly string[];
  /** The address the server is bound to (a specific one is the fake's own address too). */
  boundHost?: string;
  /** When set, control operations need `Authorization: Bearer <token>`. */
  token?: string;
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** Whether a host name (no port, IPv6 without brackets) is a loopback name or address. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  // RFC 6761 6.3: localhost and its subdomains are loopback; 127.0.0.0/8 and ::1 (RFC 4291 2.5.3).
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1';
}

/** The host name of a Host header or an authority (drops the port, keeps IPv6 brackets off). */
export function hostnameOf(authority: string): string {
  const value = authority.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') > 0 ? value.indexOf(']') : undefined);
  const colon = value.indexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

const portOf = (authority: string) => {
  const value = authority.trim();
  const m = value.startsWith('[') ? /\]:(\d+)$/.exec(value) : /:(\d+)$/.exec(value);
  return m ? m[1] : '';
};

export function createAccessCheck(access: ControlAccess = {}) {
  const allowed = new Set((access.allowHosts ?? []).map((h) => hostnameOf(h)));
  if (access.boundHost && !WILDCARD_ADDRESSES.has(access.boundHost)) allowed.add(hostnameOf(access.boundHost.includes(':') && !access.boundHost.startsWith('[') ? `[${access.boundHost}]` : access.boundHost));
  const hostAllowed = (hostname: string) => isLoopback(hostname) || allowed.has(hostname);
  const token = access.token ? Buffer.from(access.token) : undefined;

  return {
    /** An error when the request may not reach the control plane at all (before any route runs). */
    admit(req: ExchangeRequest): ApiError | undefined {
      // Absolute-form target (GET http://host/path): its authority is the request's host.
      const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(req.url);
      const authority = absolute ? absolute[1].replace(/^[^@]*@/, '') : req.headers.host;
      if (!authority) return forbidden('the control plane needs a Host header naming this fake');
      const hostname = hostnameOf(authority);
      if (!hostAllowed(hostname)) {
        return forbidden(`the control plane answers only requests addressed to this fake (Host "${hostname}" is not a loopback name); start it with --allow-host ${hostname} to allow that name`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined) {
        let url: URL | undefined;
        try {
          url = new URL(origin);
        } catch {
          url = undefined;
        }
        const sameOrigin = url && (url.protocol === 'http:' || url.protocol === 'https:') && hostAllowed(hostnameOf(url.host)) && (url.port || (url.protocol === 'https:' ? '443' : '80')) === (portOf(authority) || '80');
        if (!sameOrigin) return forbidden(`the control plane refuses requests from other origins (Origin "${origin}"): it is for test code and this fake's own pages, not for web pages`);
      }
      const site = req.headers['sec-fetch-site'];
      if (site === 'cross-site' || site === 'same-site') return forbidden('the control plane refuses requests a web page of another origin sends (Sec-Fetch-Site)');
      const type = req.headers['content-type'];
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if ((hasBody || type !== undefined) && req.method !== 'GET' && req.method !== 'HEAD' && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type ?? '')) {
        // The same words as the body parser's (src/http/body.ts): the control plane takes JSON only.
        return invalidRequest(`Content-Type must be application/json (got "${type ?? 'none'}")`);
      }
      return undefined;
    },
    /** Throws 401 when a control token is set and the request does not carry it. */
    checkToken(authorization: string | undefined) {
      if (!token) return;
      const given = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      const buf = Buffer.from(given ?? '');
      if (!given || buf.length !== token.length || !timingSafeEqual(buf, token)) {
        throw unauthorized(given ? 'wrong control token' : 'the control plane needs Authorization: Bearer <control token> (the fake was started with --control-token)');
      }
    },
  };
}
