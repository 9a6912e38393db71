import { z } from 'zod';
import { API_ROUTES, NAMED_SCHEMAS, type ApiRoute, type RouteResponse } from '../routes/api-routes.js';

type Json = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document this api writes. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const schemaRef = (name: string) => `#/components/schemas/${name}`;

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) without the keys a standalone document carries. */
function clean(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** One schema written inline: path and query parameters, headers. */
const inlineInput = (schema: z.ZodType): Json =>
  clean(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json);

/**
 * `components.schemas`: request bodies described by what clients may send (zod's input side: an
 * identifier is a string or an integer), everything else by what the api answers (output side).
 */
function componentSchemas(named: Record<string, z.ZodType>, requestSide: ReadonlySet<z.ZodType>): Record<string, Json> {
  const input = z.registry<{ id: string }>();
  const output = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) (requestSide.has(schema) ? input : output).add(schema, { id });
  const convert = (registry: typeof input, io: 'input' | 'output') =>
    z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: schemaRef }).schemas;
  const all = { ...convert(input, 'input'), ...convert(output, 'output') };
  return Object.fromEntries(Object.entries(all).map(([id, schema]) => [id, clean(schema as Json)]));
}

/** The fields of an object schema, or of every variant of a union of objects (required only if required in all). */
function fieldsOf(schema: Json): { properties: Record<string, Json>; required: Set<string> } {
  const variants = (schema.anyOf ?? schema.oneOf ?? [schema]) as Json[];
  const properties: Record<string, Json[]> = {};
  let required: Set<string> | undefined;
  for (const variant of variants) {
    for (const [name, property] of Object.entries((variant.properties ?? {}) as Record<string, Json>)) {
      const seen = (properties[name] ??= []);
      if (!seen.some((known) => JSON.stringify(known) === JSON.stringify(property))) seen.push(property);
    }
    const mine = new Set((variant.required ?? []) as string[]);
    required = required ? new Set([...required].filter((name) => mine.has(name))) : mine;
  }
  const merged = Object.entries(properties).map(([name, options]) => [name, options.length === 1 ? options[0] : { anyOf: options }]);
  return { properties: Object.fromEntries(merged) as Record<string, Json>, required: required ?? new Set() };
}

function parameters(route: ApiRoute): Json[] {
  const path = Object.entries(route.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: inlineInput(schema) }));
  const { properties, required } = route.query ? fieldsOf(inlineInput(route.query)) : { properties: {}, required: new Set<string>() };
  const query = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
  const headers = Object.entries(route.headers ?? {}).map(([name, header]) => ({
    name,
    in: 'header',
    required: false,
    description: header.description,
    schema: inlineInput(header.schema),
  }));
  return [...path, ...query, ...headers];
}

function response(answer: RouteResponse, schemaName: (schema: z.ZodType) => string): Json {
  if (answer.schema) return { description: answer.description, content: { 'application/json': { schema: { $ref: schemaRef(schemaName(answer.schema)) } } } };
  if (answer.text) return { description: answer.description, content: { 'text/plain': { schema: { type: 'string', enum: [...answer.text] } } } };
  if (answer.contentType) return { description: answer.description, content: { [answer.contentType]: {} } };
  return { description: answer.description };
}

/** The error answers a route can give, from what it checks. */
function errorResponses(route: ApiRoute): Record<number, Json> {
  const errors: [number, string, Json?][] = [];
  if (route.params || route.query || route.body || route.headers) errors.push([400, 'Invalid input; every problem is listed in `issues`']);
  if (route.auth === 'basic') {
    errors.push([401, 'No or wrong user and password', { 'WWW-Authenticate': { schema: { type: 'string' } } }]);
  } else if (route.auth === 'apiKey') {
    errors.push([401, 'No or unknown API key']);
  }
  if (route.headers?.['Idempotency-Key']) errors.push([409, 'The Idempotency-Key was used with a different body']);
  if (route.body) errors.push([413, `The body is over ${route.body.limit ?? 'BODY_LIMIT_BYTES (256 KiB)'}`]);
  if (route.auth === 'apiKey') {
    const retryAfter = { 'Retry-After': { description: 'Seconds until the key may send again', schema: { type: 'integer' } } };
    errors.push([429, 'Over API_RATE_LIMIT requests this second for this API key', retryAfter]);
    errors.push([503, 'Redis or the store is unreachable (answered within 2 s); retry later']);
  }
  const body = route.plainTextErrors
    ? { 'text/plain': { schema: { type: 'string', const: 'fail' } } }
    : { 'application/json': { schema: { $ref: schemaRef('ApiErrorBody') } } };
  return Object.fromEntries(
    errors.map(([status, description, headers]) => [status, { description, ...(headers ? { headers } : {}), content: body }]),
  );
}

function security(route: ApiRoute): Json[] {
  if (route.auth === 'basic') return [{ basic: [] }];
  if (route.auth === 'apiKey') return route.keyField ? [{ apiKey: [] }, { keyField: [] }] : [{ apiKey: [] }];
  return [];
}

function requestBody(body: NonNullable<ApiRoute['body']>, schemaName: (schema: z.ZodType) => string): Json {
  const schema = { $ref: schemaRef(schemaName(body.schema)) };
  return { required: body.optional !== true, content: Object.fromEntries(body.mediaTypes.map((type) => [type, { schema }])) };
}

/** `get /v1/users/:uid/messages` → `getV1UsersUidMessages`. */
const operationId = (route: ApiRoute) =>
  route.method +
  route.path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** `/v1/users/:uid/messages` → `/v1/users/{uid}/messages`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The api's OpenAPI 3.1 document, generated from the route table and the zod contracts: nothing in
 * it is written by hand but the prose. Throws when a route's body or answer is not a named schema.
 */
export function openApiDocument(routes: readonly ApiRoute[] = API_ROUTES, named = NAMED_SCHEMAS): OpenApiDocument {
  const names = new Map(Object.entries(named).map(([name, schema]) => [schema, name]));
  const schemaName = (schema: z.ZodType) => {
    const name = names.get(schema);
    if (name === undefined) throw new Error('openApiDocument: every body and answer schema must be in NAMED_SCHEMAS');
    return name;
  };
  const requestSide = new Set(routes.flatMap((route) => (route.body ? [route.body.schema] : [])));
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operation: Json = {
      operationId: operationId(route),
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: security(route),
      parameters: parameters(route),
      ...(route.body ? { requestBody: requestBody(route.body, schemaName) } : {}),
      responses: {
        ...errorResponses(route),
        ...Object.fromEntries(Object.entries(route.responses).map(([status, answer]) => [status, response(answer, schemaName)])),
      },
    };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'notify api',
      version: '1',
      description:
        'HTTP API for web backends: send messages and dynamics, read inboxes and feeds, mint browser tokens. ' +
        'Errors are `{"error": {"code", "message", "issues"?}}`. Generated from the zod contracts.',
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(named, requestSide),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <key>`, one of API_KEYS' },
        keyField: { type: 'apiKey', in: 'query', name: 'key', description: '`/push` only: the API key as a `key` field of the query string or the body' },
        basic: { type: 'http', scheme: 'basic', description: 'Bull Board: BULL_BOARD_USER and BULL_BOARD_PASSWORD' },
      },
    },
  };
}
