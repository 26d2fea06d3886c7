import { joinPointer } from '../../util/pointer.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import { hiddenBehindUnknown, recordSecretFlows, type SecretSink } from '../client-secret-flow.js';
import type { Target } from '../scope.js';
import { NO_VALUE, Unknown, evaluate, evaluateCondition, isRecord, type EvalContext, type Evaluated } from './intrinsics.js';

/**
 * Where a template lets an app client's secret (`!GetAtt Client.ClientSecret`) be read by
 * more than the service that needs it: stack outputs (shown by DescribeStacks and the console
 * to anyone who may read the stack), Lambda environment variables (GetFunctionConfiguration
 * returns them in plain text), SSM parameters (CloudFormation can only create String and
 * StringList parameters, never SecureString), Amplify environment variables (build settings,
 * readable in the console) and CloudFront function code (shipped to the edge, returned by
 * DescribeFunction).
 */
const SINKS: Record<string, (props: Record<string, Evaluated>) => Array<{ what: string; path: string[]; value: Evaluated }>> = {
  'AWS::Lambda::Function': (p) => environment(p, 'Lambda function'),
  'AWS::Serverless::Function': (p) => environment(p, 'Lambda function'),
  'AWS::SSM::Parameter': (p) => [{ what: 'SSM parameter (String)', path: ['Value'], value: p.Value ?? null }],
  'AWS::Amplify::App': (p) => amplify(p),
  'AWS::Amplify::Branch': (p) => amplify(p),
  'AWS::CloudFront::Function': (p) => [{ what: 'CloudFront function code', path: ['FunctionCode'], value: p.FunctionCode ?? null }],
};

function environment(p: Record<string, Evaluated>, what: string): Array<{ what: string; path: string[]; value: Evaluated }> {
  const env = p.Environment;
  const vars = isRecord(env) ? env.Variables : env;
  if (!isRecord(vars)) return vars === undefined ? [] : [{ what: `${what} environment`, path: ['Environment'], value: vars }];
  return Object.entries(vars).map(([k, v]) => ({ what: `${what} environment variable ${k}`, path: ['Environment', 'Variables', k], value: v as Evaluated }));
}

function amplify(p: Record<string, Evaluated>): Array<{ what: string; path: string[]; value: Evaluated }> {
  const vars = p.EnvironmentVariables;
  if (!Array.isArray(vars)) return vars === undefined ? [] : [{ what: 'Amplify environment variables', path: ['EnvironmentVariables'], value: vars }];
  return vars.map((v, i) => ({
    what: `Amplify environment variable ${isRecord(v) && typeof v.Name === 'string' ? v.Name : i}`,
    path: ['EnvironmentVariables', String(i)],
    value: v,
  }));
}

/** Sets `secretExposedTo` on the template's app clients (`clients`: by logical id). */
export function cloudFormationSecretFlows(
  template: Record<string, unknown>,
  entries: Iterable<{ logicalId: string; raw: unknown; pointer: string }>,
  clients: ReadonlyMap<string, Target>,
  doc: PositionedDocument,
  ev: EvalContext,
): void {
  if (clients.size === 0) return;
  const sinks: SecretSink[] = [];
  const add = (what: string, v: Evaluated | typeof NO_VALUE, raw: unknown, pointer: string, condition: unknown): void => {
    const c = typeof condition === 'string' ? evaluateCondition(condition, ev) : true;
    if (c === false || v === NO_VALUE) return;
    const text = JSON.stringify(raw) ?? '';
    const mentions = (client: string): boolean => new RegExp(`${client}\\.ClientSecret\\b|"${client}",\\s*"ClientSecret"`).test(text);
    sinks.push({
      what,
      value: v,
      position: doc.locate(pointer),
      doubt: c instanceof Unknown ? `it exists only under condition ${String(condition)}, which is not known (${c.reason})` : undefined,
      hidden: hiddenBehindUnknown(mentions, v),
    });
  };
  if (isRecord(template.Outputs)) {
    for (const [name, output] of Object.entries(template.Outputs)) {
      if (isRecord(output)) add(`stack output ${name}`, evaluate(output.Value, ev), output.Value, joinPointer('/Outputs', name, 'Value'), output.Condition);
    }
  }
  for (const { logicalId, raw, pointer } of entries) {
    if (!isRecord(raw) || typeof raw.Type !== 'string' || !Object.hasOwn(SINKS, raw.Type) || !isRecord(raw.Properties)) continue;
    const props = evaluate(raw.Properties, ev);
    if (!isRecord(props)) continue;
    for (const s of SINKS[raw.Type]!(props as Record<string, Evaluated>)) {
      // The raw text is only searched for the reference: the whole Properties when an intrinsic hides the entry.
      const rawValue = s.path.reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), raw.Properties);
      add(`${s.what} of ${logicalId}`, s.value, rawValue ?? raw.Properties, joinPointer(pointer, 'Properties', ...s.path), raw.Condition);
    }
  }
  recordSecretFlows(clients, sinks, 'ClientSecret');
}
