import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { LiveReader } from './context.js';

/** Placeholder until the identity pool reader lands. */
export const readIdentityPools: LiveReader<CognitoIdentityClient> = async () => [];
