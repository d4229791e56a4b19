// Request bodies are parsed inside an operation, after its security check (src/http/operation.ts), so
// credentials are judged before a body is looked at and a body sent to an unknown route is never read.
// Parsing is body-parser's (express.json), run as a function here instead of as an app-wide stage.
import express, { type Request, type Response } from 'express';
import { invalidRequest } from '../errors.ts';

const JSON_TYPES = ['application/json', 'application/*+json'];

export type BodyParser = (req: Request, res: Response) => Promise<unknown>;

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** A parser for one plane's bodies: JSON only, at most `limitBytes`; resolves to the body or undefined. */
export function jsonBodyParser(limitBytes: number): BodyParser {
  const parse = express.json({ limit: limitBytes, type: JSON_TYPES });
  return (req, res) => {
    if (!hasBody(req)) return Promise.resolve(undefined);
    if (!req.is(JSON_TYPES)) return Promise.reject(invalidRequest(`Content-Type must be application/json (got "${req.headers['content-type'] ?? 'none'}")`));
    return new Promise((resolve, reject) => parse(req, res, (err?: unknown) => (err ? reject(err) : resolve(req.body))));
  };
}
