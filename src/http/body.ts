// Request bodies are parsed inside an operation, after its security check (src/http/operation.ts), so
// credentials are judged before a body is looked at and a body sent to an unknown route is never read.
// Parsing is body-parser's (express.json), run as a function here instead of as an app-wide stage.
// Before the text is parsed its nesting depth is measured (src/basics/json-depth.ts): a body nested
// deeper than the plane's limit is 400 and never reaches the parser, the handlers or the journal. After
// parsing, a string with a lone surrogate is 400 too (RFC 8259 8.2: such strings make receivers
// unpredictable; the fake would store and echo them).
import express from 'express';
import typeis from 'type-is';
import { findLoneSurrogate, jsonTextTooDeep } from '../basics/json-depth.ts';
import { invalidRequest } from '../errors.ts';
import type { ExchangeRequest, ExchangeResponse } from './locals.ts';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** The body, or undefined when the request has none (at once, nothing to wait for), or a promise of either. */
export type BodyParser = (req: ExchangeRequest, res: ExchangeResponse) => unknown | Promise<unknown>;

export interface BodyLimits {
  /** largest body in bytes (413 past it) */
  limitBytes: number;
  /** deepest nesting of objects and arrays (400 past it) */
  maxDepth: number;
}

const hasBody = (req: ExchangeRequest) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

export const tooDeep = (maxDepth: number) => invalidRequest(`JSON body nests deeper than ${maxDepth} levels`);

/** A parser for one plane's bodies: JSON only, within the limits; resolves to the body or undefined. */
export function jsonBodyParser(limits: BodyLimits): BodyParser {
  const parse = express.json({
    limit: limits.limitBytes,
    type: JSON_TYPES,
    // Runs on the raw bytes before JSON.parse; a throw here is answered through the one writer.
    verify: (_req, res, buf, encoding) => {
      (res as ExchangeResponse).locals.requestBodyBytes = buf.length;
      // body-parser accepts any utf-* charset; the depth scan reads UTF-8 bytes.
      if (encoding && encoding.toLowerCase() !== 'utf-8') throw invalidRequest(`unsupported charset "${encoding}": send UTF-8 JSON`);
      if (jsonTextTooDeep(buf, limits.maxDepth)) throw tooDeep(limits.maxDepth);
    },
  });
  return (req, res) => {
    if (!hasBody(req)) return undefined;
    // type-is is what Express's req.is and body-parser's own type check use.
    if (!typeis(req, JSON_TYPES)) return Promise.reject(invalidRequest(`Content-Type must be application/json (got "${req.headers['content-type'] ?? 'none'}")`));
    return new Promise((resolve, reject) =>
      // body-parser is typed for Express's request; it reads only Node's (headers, the stream) and sets req.body.
      parse(req as Parameters<typeof parse>[0], res as Parameters<typeof parse>[1], (err?: unknown) => {
        if (err) return reject(err);
        const lone = findLoneSurrogate(req.body);
        if (lone !== undefined) return reject(invalidRequest('JSON body holds a string with a lone surrogate (not well-formed Unicode)'));
        resolve(req.body);
      }),
    );
  };
}
