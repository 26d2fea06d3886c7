/**
 * SAM HTTP APIs as the SAM transform builds them (samtranslator/model/api/http_api_generator.py,
 * eventsources/push.py HttpApi, open_api/open_api.py): `Auth.DefaultAuthorizer`, JWT and Lambda
 * authorizers, `Auth.Authorizer: NONE` per event, `AuthorizationScopes`, `EnableIamAuthorizer`,
 * routes from HttpApi events with and without ApiId, and routes from an OpenAPI body. Each test
 * asserts what apigatewayv2-route-authorization sees.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOutput } from '../../src/scan.js';

const ROUTE = 'apigatewayv2-route-authorization';
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc';

async function scanTemplate(template: string): Promise<ScanOutput> {
  const cwd = mkdtempSync(join(tmpdir(), 'cg-sam-http-'));
  writeFileSync(join(cwd, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\n${template}`);
  return scan({ inputs: ['template.yaml'], cwd, now: new Date('2026-11-29T00:00:00Z') });
}

function route(result: ScanOutput, name: string) {
  const r = result.resources.find((x) => x.kind === 'apigatewayv2.route' && x.name === name);
  expect(r, `${name} among ${result.resources.map((x) => x.name).join(', ')}`).toBeDefined();
  const findings = result.findings.filter((f) => f.ruleId === ROUTE && f.resource.name === name);
  return { ...r!, outcome: findings.length === 0 ? 'pass' : findings.map((f) => f.status).join(',') };
}

/** An HttpApi with `auth` under Auth, and a function with one HttpApi event on it (`eventAuth` under its Auth). */
const API = (auth: string, eventAuth = '', extra = ''): string => `Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
${auth}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: x
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /items
            Method: get
${eventAuth ? `            Auth:\n${eventAuth}` : ''}${extra}`;

const JWT = `        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: ${ISSUER}
              audience: [client1]
            AuthorizationScopes: [items/read]
`;

describe('SAM HttpApi authorization', () => {
  it('DefaultAuthorizer (JWT) applies to an event without Auth, with the authorizer scopes', async () => {
    const r = route(await scanTemplate(API(`${JWT}        DefaultAuthorizer: Jwt`)), 'Api GET /items');
    expect(r.outcome).toBe('pass');
    expect(r.properties).toMatchObject({ authorizationType: 'JWT', authorizerId: 'Jwt', authorizationScopes: ['items/read'] });
  });

  it('a JWT authorizer keeps its issuer, audience and identity source, and is linked to the route', async () => {
    const result = await scanTemplate(API(`${JWT}        DefaultAuthorizer: Jwt`));
    const authorizer = result.resources.find((x) => x.name === 'Api authorizer Jwt')!;
    expect(authorizer.properties).toMatchObject({
      authorizerType: 'JWT',
      jwtConfiguration: { issuer: ISSUER, audience: ['client1'] },
      identitySource: ['$request.header.Authorization'],
    });
    expect(route(result, 'Api GET /items').relations.authorizer).toEqual([authorizer.id]);
  });

  it('the event AuthorizationScopes override the authorizer scopes', async () => {
    const r = route(await scanTemplate(API(`${JWT}        DefaultAuthorizer: Jwt`, '              Authorizer: Jwt\n              AuthorizationScopes: [items/write]\n')), 'Api GET /items');
    expect(r.properties.authorizationScopes).toEqual(['items/write']);
  });

  it('a Lambda authorizer (FunctionArn) makes a CUSTOM route and a REQUEST authorizer with its identity headers', async () => {
    const lambda = '        Authorizers:\n          Lambda:\n            FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:auth\n            Identity:\n              Headers: [Authorization]\n            EnableSimpleResponses: true\n';
    const result = await scanTemplate(API(lambda, '              Authorizer: Lambda\n'));
    expect(route(result, 'Api GET /items')).toMatchObject({ outcome: 'pass', properties: { authorizationType: 'CUSTOM' } });
    expect(result.resources.find((x) => x.name === 'Api authorizer Lambda')!.properties).toMatchObject({
      authorizerType: 'REQUEST',
      identitySource: ['$request.header.Authorization'],
      enableSimpleResponses: true,
      authorizerResultTtlInSeconds: 300,
    });
  });

  it('Auth: { Authorizer: NONE } on an event opens the route despite the DefaultAuthorizer', async () => {
    const r = route(await scanTemplate(API(`${JWT}        DefaultAuthorizer: Jwt`, '              Authorizer: NONE\n')), 'Api GET /items');
    expect(r.outcome).toBe('fail');
    expect(r.properties.authorizationType).toBe('NONE');
  });

  it('EnableIamAuthorizer with DefaultAuthorizer: AWS_IAM is IAM authorization', async () => {
    const r = route(await scanTemplate(API('        EnableIamAuthorizer: true\n        DefaultAuthorizer: AWS_IAM')), 'Api GET /items');
    expect(r).toMatchObject({ outcome: 'pass', properties: { authorizationType: 'AWS_IAM' } });
  });

  it('Authorizer: AWS_IAM without EnableIamAuthorizer (SAM rejects the template) is unknown, not a pass', async () => {
    const r = route(await scanTemplate(API(JWT, '              Authorizer: AWS_IAM\n')), 'Api GET /items');
    expect(r.outcome).toBe('unknown');
  });

  it('an event without Auth on an API without a DefaultAuthorizer is open', async () => {
    expect(route(await scanTemplate(API(JWT)), 'Api GET /items').outcome).toBe('fail');
  });

  it('Globals.HttpApi.Auth gives the DefaultAuthorizer to the implicit API of an event without ApiId', async () => {
    const template = `Globals:
  HttpApi:
    Auth:
${JWT.replace(/^ {2}/gm, '')}      DefaultAuthorizer: Jwt
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: x
      Events:
        Any:
          Type: HttpApi
`;
    const r = route(await scanTemplate(template), 'ServerlessHttpApi $default');
    expect(r).toMatchObject({ outcome: 'pass', properties: { authorizationType: 'JWT', routeKey: '$default' } });
  });
});

describe('HTTP API routes from an OpenAPI body', () => {
  const BODY = `        openapi: '3.0.1'
        components:
          securitySchemes:
            Jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration:
                  issuer: ${ISSUER}
                  audience: [client1]
        paths:
          /secure:
            get:
              security: [{ Jwt: [items/read] }]
          /open:
            get: {}
            options: {}
`;

  it('AWS::ApiGatewayV2::Api Body: security selects the JWT authorizer; a path without security is open', async () => {
    const result = await scanTemplate(`Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Body:\n${BODY}`);
    expect(route(result, 'Api GET /secure')).toMatchObject({ outcome: 'pass', properties: { authorizationType: 'JWT', authorizationScopes: ['items/read'] } });
    expect(route(result, 'Api GET /open').outcome).toBe('fail');
    expect(result.resources.find((x) => x.name === 'Api authorizer Jwt')?.properties).toMatchObject({ authorizerType: 'JWT', jwtConfiguration: { issuer: ISSUER } });
  });

  it('AWS::Serverless::HttpApi DefinitionBody: the DefaultAuthorizer covers paths without security, but not OPTIONS', async () => {
    const result = await scanTemplate(
      `Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n${JWT}        DefaultAuthorizer: Jwt\n      DefinitionBody:\n${BODY.replace(/^ {8}components:[\s\S]*?(?= {8}paths:)/m, '')}`,
    );
    expect(route(result, 'Api GET /open').properties).toMatchObject({ authorizationType: 'JWT', authorizerId: 'Jwt' });
    expect(route(result, 'Api OPTIONS /open').properties.authorizationType).toBe('NONE');
  });
});
