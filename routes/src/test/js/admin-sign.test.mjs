// The admin page's request signing (routes/src/main/resources/org/elves/center/supervisor/admin/admin.js)
// against a signature computed independently with node:crypto. Run: node --test routes/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Debian's Node 18 has WebCrypto only as node:crypto's webcrypto; Node 19+ also as a global
import { webcrypto } from 'node:crypto';
globalThis.crypto ??= webcrypto;

const require = createRequire(import.meta.url);
const admin = require(fileURLToPath(new URL(
  '../../main/resources/org/elves/center/supervisor/admin/admin.js', import.meta.url)));

const SECRET = 'secret';
const PATH = '/api/v2/admin/app/list';
const PARAMS = {
  auth_id: 'admin',
  timestamp: '1700000000',
  nonce: '0123456789abcdef0123456789abcdef',
  sign_type: 'hmac-sha256',
};
const CANONICAL = 'GET\n/api/v2/admin/app/list\n'
  + 'auth_id=admin&nonce=0123456789abcdef0123456789abcdef&sign_type=hmac-sha256&timestamp=1700000000';

test('the canonical string is METHOD, path and the sorted decoded pairs', () => {
  assert.equal(admin.canonicalString('get', PATH, PARAMS), CANONICAL);
  assert.equal(admin.canonicalString('GET', PATH, { ...PARAMS, sign: 'ignored' }), CANONICAL, 'sign is left out');
});

test('the fixed example signs as node:crypto does', async () => {
  const expected = createHmac('sha256', SECRET).update(CANONICAL, 'utf8').digest('hex');
  const actual = await admin.hmacHex(SECRET, admin.canonicalString('GET', PATH, PARAMS));
  console.log('admin-sign example: sign =', actual);
  assert.match(actual, /^[0-9a-f]{64}$/);
  assert.equal(actual, expected);
});

test('signParams adds sign_type, auth_id, timestamp, nonce and the signature', async () => {
  const signed = await admin.signParams('GET', PATH, {}, 'admin', SECRET, 1700000000,
    '0123456789abcdef0123456789abcdef');
  assert.deepEqual(Object.keys(signed).sort(), ['auth_id', 'nonce', 'sign', 'sign_type', 'timestamp']);
  assert.equal(signed.sign, createHmac('sha256', SECRET).update(CANONICAL).digest('hex'));

  const fresh = await admin.signParams('GET', PATH, {}, 'admin', SECRET);
  assert.match(fresh.nonce, /^[0-9a-f]{32}$/);
  assert.ok(Math.abs(Number(fresh.timestamp) - Date.now() / 1000) < 5, fresh.timestamp);
});

test('business parameters are signed decoded, empty ones included, names in byte order', async () => {
  const params = { version: '1.0 beta', app: 'a&b=c', Zeta: '', sign_type: 'hmac-sha256', auth_id: 'admin',
    timestamp: '1700000000', nonce: 'n', 'é': 'ü' };
  const canonical = 'GET\n/p\nZeta=&app=a&b=c&auth_id=admin&nonce=n&sign_type=hmac-sha256&timestamp=1700000000'
    + '&version=1.0 beta&é=ü';
  assert.equal(admin.canonicalString('GET', '/p', params), canonical);
  assert.equal(await admin.hmacHex('k', canonical), createHmac('sha256', 'k').update(canonical, 'utf8').digest('hex'));
  assert.equal(admin.query({ a: '1 2', b: 'x&y', c: '' }), 'a=1%202&b=x%26y&c=');
});

test('the API prefix and the login fragment', () => {
  assert.equal(admin.apiPrefix('/admin/'), '');
  assert.equal(admin.apiPrefix('/elves/admin/index.html'), '/elves');
  assert.deepEqual(admin.parseFragment('#auth_id=admin&key=s%20t'), { authId: 'admin', key: 's t' });
  assert.equal(admin.parseFragment('#auth_id=admin'), null);
  assert.equal(admin.parseFragment(''), null);
});
