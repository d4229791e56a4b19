// Command-line numbers, one way for both CLIs (src/cli.ts and fluxra-contract, contracts/lib/options.ts
// and contracts/parity/cli.ts): commander argument parsers that refuse what is not the number asked for
// with commander's InvalidArgumentError, which each CLI turns into its one-line usage error (exit 2).
import { InvalidArgumentError } from 'commander';

const digits = (value: string) => /^\d+$/.test(value.trim());

/** A TCP port, 0 (any free port) to 65535. */
export function portArg(value: string): number {
  const n = Number(value);
  if (!digits(value) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

/** A whole number of at least 1. */
export function positiveIntArg(value: string): number {
  const n = Number(value);
  if (!digits(value) || n < 1 || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** A number above 0, fractions allowed (seconds of a timeout). */
export function positiveNumberArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0.');
  return n;
}

/** A number of at least 0, fractions allowed (0 is meaningful: off, or never). */
export function nonNegativeArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** Bytes, with an optional k or m suffix (KiB, MiB). */
export function bytesArg(value: string): number {
  const m = /^(\d+)\s*([kKmM]?)(?:i?[bB])?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new InvalidArgumentError('expected a size in bytes (e.g. 65536, 512k, 1m).');
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 * 1024 } as Record<string, number>)[m[2].toLowerCase()];
}
