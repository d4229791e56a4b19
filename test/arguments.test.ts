// The command-line number parsers both CLIs share (src/basics/arguments.ts): what each accepts, and that
// anything else is commander's InvalidArgumentError (which the CLIs turn into a usage error, exit 2).
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { bytesArg, nonNegativeArg, portArg, positiveIntArg, positiveNumberArg } from '../src/basics/arguments.ts';

const refuses = (parse: (v: string) => number, values: string[]) => {
  for (const value of values) expect(() => parse(value), value).toThrow(InvalidArgumentError);
};

describe('command-line numbers', () => {
  it('ports: 0 to 65535, digits only', () => {
    expect([portArg('0'), portArg('4010'), portArg(' 65535 ')]).toEqual([0, 4010, 65535]);
    refuses(portArg, ['', '65536', '-1', '80.5', '0x50', 'http']);
  });

  it('positive integers: 1 and up, safe integers only', () => {
    expect([positiveIntArg('1'), positiveIntArg('2000')]).toEqual([1, 2000]);
    refuses(positiveIntArg, ['0', '-3', '1.5', '1e3', '', 'two', '9007199254740993']);
  });

  it('positive numbers (timeouts): fractions allowed, 0 not', () => {
    expect([positiveNumberArg('0.5'), positiveNumberArg('30')]).toEqual([0.5, 30]);
    refuses(positiveNumberArg, ['0', '-1', '', ' ', 'Infinity', 'soon']);
  });

  it('non-negative numbers: 0 allowed (off, never)', () => {
    expect([nonNegativeArg('0'), nonNegativeArg('2.5')]).toEqual([0, 2.5]);
    refuses(nonNegativeArg, ['-0.1', '', 'NaN', 'Infinity']);
  });

  it('bytes: plain, k and m (KiB, MiB), with an optional B or iB', () => {
    expect([bytesArg('65536'), bytesArg('512k'), bytesArg('1m'), bytesArg('2MiB'), bytesArg('8 kB')]).toEqual([65536, 512 * 1024, 1024 * 1024, 2 * 1024 * 1024, 8 * 1024]);
    refuses(bytesArg, ['0', '1g', '-5', 'k', '1.5m', '']);
  });
});
