import type { IAMClient } from '@aws-sdk/client-iam';
import type { Resource } from '../../model/resource.js';
import type { LiveContext } from './context.js';

/** Placeholder until the IAM role reader lands. */
export async function readRoles(_client: IAMClient, _ctx: LiveContext, _roleArns: string[]): Promise<Resource[]> {
  return [];
}
