import type { Position } from '../../../model/resource.js';
import type { PathSegment, PropertyReader } from '../../scope.js';
import { isRecord, type Evaluated } from '../../values.js';
import type { TerraformBlock } from '../block.js';

/**
 * Nested blocks of the AWS provider that are lists in Terraform's value model (and in the plan
 * JSON) but hold at most one item or are left out as `[]`: an empty one is no block at all.
 */
const NESTED_BLOCKS = new Set([
  'access_log_settings',
  'account_recovery_setting',
  'admin_create_user_config',
  'cognito_identity_providers',
  'cors_configuration',
  'custom_email_sender',
  'custom_sms_sender',
  'default_route_settings',
  'device_configuration',
  'domain_name_configuration',
  'email_configuration',
  'email_mfa_configuration',
  'endpoint_configuration',
  'inline_policy',
  'jwt_configuration',
  'lambda_config',
  'mapping_rule',
  'password_policy',
  'pre_token_generation_config',
  'recovery_mechanism',
  'refresh_token_rotation',
  'role_mapping',
  'schema',
  'scope',
  'settings',
  'sign_in_policy',
  'sms_configuration',
  'software_token_mfa_configuration',
  'token_validity_units',
  'user_attribute_update_settings',
  'user_pool_add_ons',
  'advanced_security_additional_flows',
  'username_configuration',
]);

/**
 * Reads a Terraform block the way the CloudFormation mappers read Properties: a single nested
 * block (`password_policy { ... }`, a one-item list in Terraform's value model) is read as a
 * mapping, so `password_policy.minimum_length` reads `password_policy[0].minimum_length`, and
 * an empty nested block list is absent. Positions follow the same translation.
 */
export class BlockReader implements PropertyReader {
  constructor(readonly block: TerraformBlock) {}

  /** The block's own path for a path written with single nested blocks as mappings. */
  real(path: readonly PathSegment[]): PathSegment[] {
    const out: PathSegment[] = [];
    for (const segment of path) {
      if (typeof segment === 'string' && out.length > 0) {
        const v = this.block.get(out);
        if (Array.isArray(v) && v.length === 1 && isRecord(v[0])) out.push(0);
      }
      out.push(segment);
    }
    return out;
  }

  get(path: readonly PathSegment[]): Evaluated | undefined {
    const v = this.block.get(this.real(path));
    const last = path[path.length - 1];
    if (Array.isArray(v) && v.length === 0 && typeof last === 'string' && NESTED_BLOCKS.has(last)) return undefined;
    return v;
  }

  locate(path: readonly PathSegment[]): Position | undefined {
    return this.block.locate(this.real(path));
  }
}

/** `pre_sign_up` -> `preSignUp`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
