import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { validateSarif } from '../helpers/sarif.js';
import { context, fullResult } from './fixtures.js';

type Json = Record<string, any>;
/** A valid log with results (our own output for the fixture scan, which is checked below). */
const good = (): Json => JSON.parse(reporters.sarif(fullResult(), context())) as Json;
const firstResult = (log: Json): Json => log.runs[0].results[0];

describe('validateSarif', () => {
  it('accepts a valid log', () => {
    expect(validateSarif(good())).toEqual([]);
  });

  it('rejects startLine 0 (schema and GitHub)', () => {
    const log = good();
    firstResult(log).locations[0].physicalLocation.region.startLine = 0;
    const problems = validateSarif(log);
    expect(problems.some((p) => p.startsWith('schema:') && p.includes('/region/startLine'))).toBe(true);
    expect(problems).toContain('runs[0].results[0].locations[0].physicalLocation.region.startLine must be an integer >= 1');
  });

  it('rejects a location with only logicalLocations, which passes the schema', () => {
    const log = good();
    delete firstResult(log).locations[0].physicalLocation;
    const problems = validateSarif(log);
    expect(problems.filter((p) => p.startsWith('schema:'))).toEqual([]);
    expect(problems).toContain('runs[0].results[0].locations[0] has no physicalLocation (logical-only locations are rejected)');
  });

  it('rejects results without locations', () => {
    const log = good();
    firstResult(log).locations = [];
    expect(validateSarif(log)).toContain('runs[0].results[0]: needs at least one location');
  });

  it('rejects an ARN or a non-file scheme as the artifact uri', () => {
    const log = good();
    firstResult(log).locations[0].physicalLocation.artifactLocation = { uri: 'arn:aws:iam::123456789012:role/Guest' };
    log.runs[0].results[1].locations[0].physicalLocation.artifactLocation = { uri: 'https://console.aws.amazon.com/x' };
    const problems = validateSarif(log);
    expect(problems).toContain('runs[0].results[0]: uri "arn:aws:iam::123456789012:role/Guest" is an ARN, not a file path');
    expect(problems.some((p) => p.startsWith('runs[0].results[1]: uri') && p.includes('scheme "https:"'))).toBe(true);
  });

  it('accepts file: URIs and Windows-looking paths but rejects an empty uri', () => {
    const log = good();
    firstResult(log).locations[0].physicalLocation.artifactLocation = { uri: 'file:///src/template.yaml' };
    expect(validateSarif(log)).toEqual([]);
    firstResult(log).locations[0].physicalLocation.artifactLocation = { uri: '' };
    expect(validateSarif(log)).toContain(
      'runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri is required and must not be empty',
    );
  });

  it('rejects a ruleIndex that points at another rule, and undeclared rules', () => {
    const log = good();
    firstResult(log).ruleIndex = 3;
    log.runs[0].results[1].ruleId = 'not-a-rule';
    const problems = validateSarif(log);
    expect(problems).toContain('runs[0].results[0].ruleIndex 3 does not point at rule "cognito-guest-role-read-only"');
    expect(problems).toContain('runs[0].results[1].ruleId "not-a-rule" is not declared in tool.driver.rules');
  });

  it('checks rule descriptions, security-severity, tags and precision', () => {
    const log = good();
    const rules = log.runs[0].tool.driver.rules as Json[];
    delete rules[0]!.help;
    rules[1]!.shortDescription.text = '';
    rules[1]!.properties['security-severity'] = 8;
    rules[2]!.properties['security-severity'] = '0.0';
    rules[3]!.properties.tags = ['cognito'];
    rules[4]!.properties.precision = 'certain';
    rules[5]!.properties.tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    const problems = validateSarif(log);
    expect(problems).toEqual(
      expect.arrayContaining([
        'runs[0].tool.driver.rules[0].help.text is required and must not be empty',
        'runs[0].tool.driver.rules[1].shortDescription.text is required and must not be empty',
        'runs[0].tool.driver.rules[1].properties.security-severity must be a string',
        'runs[0].tool.driver.rules[2].properties.security-severity must be in (0.0, 10.0], got "0.0"',
        'runs[0].tool.driver.rules[3]: security-severity needs the "security" tag',
        'runs[0].tool.driver.rules[4].properties.precision must be one of very-high, high, medium, low',
        'runs[0].tool.driver.rules[5]: 21 tags; GitHub keeps at most 20',
      ]),
    );
  });

  it('rejects a missing results array, empty messages and an invalid level', () => {
    const log = good();
    firstResult(log).message.text = '';
    log.runs[0].results[1].level = 'critical';
    const broken = validateSarif(log);
    expect(broken).toContain('runs[0].results[0].message.text is required and must not be empty');
    expect(broken.some((p) => p.startsWith('schema: /runs/0/results/1/level'))).toBe(true);
    delete log.runs[0].results;
    expect(validateSarif(log)).toContain('runs[0].results must be present (an empty array when clean)');
  });

  it('rejects two runs of the same tool and category, and more than 20 runs', () => {
    const log = good();
    log.runs.push(structuredClone(log.runs[0]));
    expect(validateSarif(log)).toContain('runs[1]: another run has the same tool and category');
    log.runs[1].automationDetails.id = 'cognito-guard-live/aws/1';
    expect(validateSarif(log)).toEqual([]);
    log.runs = Array.from({ length: 21 }, (_, i) => ({ ...structuredClone(log.runs[0]), automationDetails: { id: `c${i}/` } }));
    expect(validateSarif(log)).toContain('log: 21 runs; GitHub accepts at most 20');
  });
});
