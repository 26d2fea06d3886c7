import { amplifySource } from './amplify/source.js';
import { cdkSource } from './cdk/source.js';
import { cloudFormationSource } from './cloudformation/source.js';
import { serverlessSource } from './serverless/source.js';
import { snapshotSource } from './snapshot.js';
import type { Source } from './source.js';
import { terraformPlanSource } from './terraform/plan.js';
import { terraformSource } from './terraform/source.js';

/**
 * Every input format the scanner reads, most specific first: a file goes to the first source
 * that claims it (a CDK template is CloudFormation too, but the CDK source knows more about it).
 * The live AWS source writes a snapshot (`scan --live`), which the snapshot source then reads.
 */
export const SOURCES: ReadonlyArray<Source<any>> = [
  terraformPlanSource,
  terraformSource,
  serverlessSource,
  cdkSource,
  amplifySource,
  cloudFormationSource,
  snapshotSource,
];
