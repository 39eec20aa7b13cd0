// SPDX-License-Identifier: Apache-2.0
// The S3-compatible server of tests/cli/test_cli_discover_s3.sh, on loopback only:
//  - s3rver (npm, package.json beside this file) on 127.0.0.1, a free port, one bucket; the AWS
//    CLI uploads to it directly;
//  - in front of it, a checking proxy for Rampart's requests: s3rver does not verify Signature
//    Version 4, so the proxy does (canonical request rebuilt from the raw request as S3 does:
//    the path decoded and re-encoded, query pairs decoded, re-encoded and sorted, the signed
//    headers; HMAC chain of the secret given), answers 403 SignatureDoesNotMatch when it
//    differs, and forwards good requests with max-keys lowered to PAGE_KEYS (after checking)
//    so that listings come in several pages with continuation tokens. Each request is logged
//    to LOG as "METHOD raw-url verdict".
// Usage: node --openssl-legacy-provider s3_test_server.js DATA_DIR BUCKET ACCESS_KEY SECRET PORTS_FILE LOG [PAGE_KEYS]
// (s3rver's continuation tokens use DES: Node 17+ needs --openssl-legacy-provider for it.)
// PORTS_FILE gets "S3RVER_PORT PROXY_PORT\n" once both listen. Stops on SIGTERM or SIGINT,
// and after 10 minutes in any case.
'use strict';
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const S3rver = require('s3rver');

const [dataDir, bucket, accessKey, secret, portsFile, logFile, pageKeysArg] = process.argv.slice(2);
if (!logFile) {
  process.stderr.write('usage: s3_test_server.js DATA_DIR BUCKET AK SECRET PORTS_FILE LOG [PAGE_KEYS]\n');
  process.exit(2);
}
const pageKeys = Number(pageKeysArg || '2');

function log(line) {
  fs.appendFileSync(logFile, line + '\n');
}

// RFC 3986 unreserved kept, every other byte %XX (upper case): S3's URI encoding.
function uriEncode(buf, keepSlash) {
  let out = '';
  for (const b of buf) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function pctDecode(s) {
  // bytes, not a JS string: keys may hold any UTF-8
  const parts = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && i + 2 < s.length && /^[0-9A-Fa-f]{2}$/.test(s.substr(i + 1, 2))) {
      parts.push(parseInt(s.substr(i + 1, 2), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(s[i], 'utf8')) parts.push(b);
    }
  }
  return Buffer.from(parts);
}

const hmac = (k, s) => crypto.createHmac('sha256', k).update(s).digest();
const sha256hex = s => crypto.createHash('sha256').update(s).digest('hex');

// null when the request's SigV4 signature is right, else the reason
function checkSignature(req) {
  const auth = req.headers['authorization'] || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'no SigV4 Authorization header';
  const [, ak, date, region, signedHeaders, sig] = m;
  if (ak !== accessKey) return 'unknown access key';
  const amzDate = req.headers['x-amz-date'] || '';
  if (amzDate.slice(0, 8) !== date) return 'x-amz-date does not match the credential scope';
  const t = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!(Math.abs(Date.now() - t) < 15 * 60 * 1000)) return 'x-amz-date is not within 15 minutes';
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host or x-amz-date unsigned';
  const payload = req.headers['x-amz-content-sha256'];
  if (!payload) return 'no x-amz-content-sha256';
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const path = uriEncode(pctDecode(rawPath), true);
  const pairs = rawQuery === '' ? [] : rawQuery.split('&').map(p => {
    const e = p.indexOf('=');
    const k = e < 0 ? p : p.slice(0, e);
    const v = e < 0 ? '' : p.slice(e + 1);
    return [uriEncode(pctDecode(k.replace(/\+/g, '%20')), false),
            uriEncode(pctDecode(v.replace(/\+/g, '%20')), false)];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const query = pairs.map(([k, v]) => k + '=' + v).join('&');
  const headers = names.map(n => {
    const v = req.headers[n];
    if (v === undefined) return null;
    return n + ':' + String(v).trim().replace(/\s+/g, ' ') + '\n';
  });
  if (headers.includes(null)) return 'a signed header is missing';
  const creq = [req.method, path, query, headers.join(''), signedHeaders, payload].join('\n');
  const sts = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/s3/aws4_request`, sha256hex(creq)].join('\n');
  let k = hmac('AWS4' + secret, date);
  k = hmac(k, region);
  k = hmac(k, 's3');
  k = hmac(k, 'aws4_request');
  const want = hmac(k, sts).toString('hex');
  return want === sig ? null : 'signature differs';
}

async function main() {
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dataDir,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port: s3port } = await s3.run();
  const proxy = http.createServer((req, res) => {
    const why = checkSignature(req);
    log(`${req.method} ${req.url} ${why ? 'REFUSED: ' + why : 'ok'}`);
    if (why) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
              '<Message>The request signature we calculated does not match the signature you provided.</Message></Error>');
      return;
    }
    let url = req.url;
    if (/[?&]list-type=2(&|$)/.test(url)) url = url.replace(/([?&])max-keys=\d+/, `$1max-keys=${pageKeys}`);
    const up = http.request({ host: '127.0.0.1', port: s3port, method: req.method, path: url,
                              headers: req.headers }, ur => {
      res.writeHead(ur.statusCode, ur.headers);
      ur.pipe(res);
    });
    up.on('error', e => { res.writeHead(502); res.end(String(e)); });
    req.pipe(up);
  });
  await new Promise(r => proxy.listen(0, '127.0.0.1', r));
  fs.writeFileSync(portsFile + '.tmp', `${s3port} ${proxy.address().port}\n`);
  fs.renameSync(portsFile + '.tmp', portsFile);
  const stop = () => { proxy.close(); s3.close().finally(() => process.exit(0)); setTimeout(() => process.exit(0), 2000).unref(); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setTimeout(stop, 10 * 60 * 1000).unref();
}

main().catch(e => { process.stderr.write(`s3_test_server: ${e.stack || e}\n`); process.exit(1); });
