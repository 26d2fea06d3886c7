import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { LiveReader } from './context.js';

/** Placeholder until the REST API reader lands. */
export const readRestApis: LiveReader<APIGatewayClient> = async () => [];
/** Placeholder until the HTTP API reader lands. */
export const readHttpApis: LiveReader<ApiGatewayV2Client> = async () => [];
