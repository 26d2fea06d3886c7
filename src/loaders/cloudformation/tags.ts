import { Pair, Scalar, YAMLMap, isScalar, isSeq, type CollectionTag, type ScalarTag, type Tags } from 'yaml';

type Shape = 'scalar' | 'seq' | 'map';

/** Short form -> long form name and the YAML shapes CloudFormation accepts for it. */
const FUNCTIONS: Array<[tag: string, long: string, shapes: Shape[]]> = [
  ['Ref', 'Ref', ['scalar']],
  ['Condition', 'Condition', ['scalar']],
  ['GetAtt', 'Fn::GetAtt', ['scalar', 'seq']],
  ['Sub', 'Fn::Sub', ['scalar', 'seq']],
  ['Join', 'Fn::Join', ['seq']],
  ['If', 'Fn::If', ['seq']],
  ['Equals', 'Fn::Equals', ['seq']],
  ['And', 'Fn::And', ['seq']],
  ['Or', 'Fn::Or', ['seq']],
  ['Not', 'Fn::Not', ['seq']],
  ['FindInMap', 'Fn::FindInMap', ['seq']],
  ['Select', 'Fn::Select', ['seq']],
  ['Split', 'Fn::Split', ['seq']],
  ['ImportValue', 'Fn::ImportValue', ['scalar', 'map']],
  ['Base64', 'Fn::Base64', ['scalar', 'map']],
  ['Cidr', 'Fn::Cidr', ['seq']],
  ['GetAZs', 'Fn::GetAZs', ['scalar', 'map']],
  ['Transform', 'Fn::Transform', ['map']],
  ['Length', 'Fn::Length', ['seq', 'map']],
  ['ToJsonString', 'Fn::ToJsonString', ['seq', 'map']],
];

function expected(tag: string, shapes: Shape[]): string {
  const words = shapes.map((s) => (s === 'scalar' ? 'a scalar' : s === 'seq' ? 'a list' : 'a mapping'));
  return `!${tag} takes ${words.join(' or ')}`;
}

function scalarTag(tag: string, long: string, shapes: Shape[]): ScalarTag {
  return {
    tag: `!${tag}`,
    resolve(value: string, onError: (message: string) => void): unknown {
      if (!shapes.includes('scalar')) {
        onError(expected(tag, shapes));
        return value;
      }
      if (long === 'Fn::GetAtt') {
        // `!GetAtt Resource.Attribute.With.Dots`: the logical id never contains a dot.
        const dot = value.indexOf('.');
        if (dot <= 0 || dot === value.length - 1) {
          onError('!GetAtt takes Resource.Attribute or [Resource, Attribute]');
          return value;
        }
        return { [long]: [value.slice(0, dot), value.slice(dot + 1)] };
      }
      if ((long === 'Ref' || long === 'Condition') && value.trim() === '') {
        onError(`!${tag} needs a name`);
        return value;
      }
      return { [long]: value };
    },
  };
}

function collectionTag(tag: string, long: string, shapes: Shape[], collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${tag}`,
    collection,
    resolve(value, onError): unknown {
      if (!shapes.includes(collection)) {
        onError(expected(tag, shapes));
        return value;
      }
      if (long === 'Fn::GetAtt' && isSeq(value) && (value.items.length !== 2 || !isScalar(value.items[0]))) {
        onError('!GetAtt takes Resource.Attribute or [Resource, Attribute]');
        return value;
      }
      // A mapping node (not a plain object) keeps the positions of the items inside the function.
      const map = new YAMLMap();
      map.items.push(new Pair(new Scalar(long), value));
      return map;
    },
  };
}

/**
 * YAML custom tags for CloudFormation's short-form intrinsic functions, each resolving to the
 * long form (`!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`, `!Ref X` -> `{"Ref": "X"}`). A tag
 * on the wrong kind of node is a parse error with the tag's line and column.
 */
export const CLOUDFORMATION_TAGS: Tags = FUNCTIONS.flatMap(([tag, long, shapes]) => [
  scalarTag(tag, long, shapes),
  collectionTag(tag, long, shapes, 'seq'),
  collectionTag(tag, long, shapes, 'map'),
]);
