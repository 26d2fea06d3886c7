import { ROLE_DEFAULTS } from '../../aws-defaults.js';
import type { Scope } from '../../scope.js';

/** aws_iam_role -> iam.role (policies attached by other blocks are added when blocks are linked). */
export function mapRole(s: Scope): void {
  s.string('name', 'roleName');
  s.string('path', 'path');
  s.int('max_session_duration', 'maxSessionDuration', ROLE_DEFAULTS.maxSessionDuration);
  s.policy('assume_role_policy', 'assumeRolePolicy');
  s.string('permissions_boundary', 'permissionsBoundary');
  s.stringMap('tags', 'tags');
  s.objects('inline_policy', 'policies', (item) => {
    item.string('name', 'name');
    item.set('type', 'inline', []);
    item.policy('policy', 'document');
  });
}

/** aws_iam_role_policy (inline, one role) and aws_iam_policy (managed) -> iam.policy */
export function mapPolicy(s: Scope, type: string): void {
  const managed = type === 'aws_iam_policy';
  s.string('name', 'policyName');
  s.set('type', managed ? 'managed' : 'inline', []);
  s.policy('policy', 'document');
  if (!managed) s.scalarList('role', 'roles');
}
