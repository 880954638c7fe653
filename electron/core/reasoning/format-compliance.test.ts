import { describe, expect, it } from 'vitest';
import { formatCompliance } from './format-compliance';

describe('formatCompliance', () => {
  it('is exact when all four tags appear once, in order', () => {
    expect(formatCompliance('<start_working_out>a<end_working_out><SOLUTION>4</SOLUTION>')).toBe(
      'exact',
    );
    expect(
      formatCompliance('\n<start_working_out>\na\n<end_working_out>\n<SOLUTION>4</SOLUTION>\n'),
    ).toBe('exact');
  });

  it('is partial when some tags are missing, repeated or out of order', () => {
    expect(formatCompliance('<SOLUTION>4</SOLUTION>')).toBe('partial');
    expect(formatCompliance('<start_working_out>a<end_working_out>')).toBe('partial');
    expect(
      formatCompliance(
        '<start_working_out>a<end_working_out><SOLUTION>4</SOLUTION><SOLUTION>5</SOLUTION>',
      ),
    ).toBe('partial');
    expect(formatCompliance('<SOLUTION>4</SOLUTION><start_working_out>a<end_working_out>')).toBe(
      'partial',
    );
    expect(formatCompliance('</SOLUTION><SOLUTION>')).toBe('partial');
  });

  it('is none without any tag', () => {
    expect(formatCompliance('The answer is 4.')).toBe('none');
    expect(formatCompliance('<solution>4</solution>')).toBe('none');
    expect(formatCompliance('')).toBe('none');
  });
});
