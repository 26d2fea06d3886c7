import { it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { fullResult, context } from './fixtures.js';
it('x', () => {
  const s = JSON.parse(reporters.sarif(fullResult(), context({includeSuppressed: true})));
  console.log(JSON.stringify(s.runs[0].results, null, 1));
  console.log(reporters.json(fullResult(), context()).slice(0, 3000));
});
