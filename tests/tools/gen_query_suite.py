#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the analyst query acceptance suite of `rampart query` (issue 10).

Kept for reproducibility only: the tests never run Python. It writes, deterministically:

  tests/fixtures/query/suite/             a raw-file tree as AWS delivers it:
      AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz       CloudTrail {"Records":[..]}
      AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/*.log.gz       flow logs, v2 default format
      AWSLogs/<acct>/vpcdnsquerylogs/<vpc>/YYYY/MM/DD/*.log.gz      Route 53 Resolver query logs
      k8s/cluster-a/YYYY-MM-DD.jsonl                                EKS audit events, one a line
      findings/findings.json                                        ASFF BatchImportFindings body
  tests/fixtures/query/suite-queries/NN_name.sql    the analyst queries; {cloudtrail}, {vpcflow},
      {r53} and {k8s} stand for a table: the store's (cloudtrail_logs, ..) or a connector
      (cloudtrail_files('<tree>/AWSLogs'), ..), substituted by tests/cli/test_cli_query_suite.sh;
      a first line "-- modes: store" or "-- modes: files" runs the query on one side only
  tests/fixtures/query/suite-expected/NN_name.csv   the exact result of each query, computed
      here in Python from the records generated (never by running rampart), printed as
      `rampart query --format csv` prints: a header line, RFC 4180 quoting, NULL as an empty
      field (lines end with LF here; the test ignores a CR before the LF)
  tests/fixtures/query/suite-expected/pruning.txt   per connector: the files in the tree, the
      files a query restricted to one account and one day must open, and their records
  docs/query-examples.md                            the queries with their results, for users

Usage: tests/tools/gen_query_suite.py [REPO_ROOT]   (default: the repository holding this file)
"""
import csv
import gzip
import io
import json
import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', '..'))
FIX = os.path.join(ROOT, 'tests', 'fixtures', 'query')
TREE = os.path.join(FIX, 'suite')
QDIR = os.path.join(FIX, 'suite-queries')
EDIR = os.path.join(FIX, 'suite-expected')

rng = random.Random(20240301)

PROD, DEV = '111122223333', '444455556666'
DAYS = [datetime(2024, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]


def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def hexs(n):
    return ''.join(rng.choice('0123456789abcdef') for _ in range(n))


def guid():
    return '%s-%s-4%s-%s%s-%s' % (hexs(8), hexs(4), hexs(3), rng.choice('89ab'), hexs(3), hexs(12))


def upper_id(prefix, n=16):
    return prefix + ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(n))


def at(day, hh, mm, ss=0):
    return DAYS[day] + timedelta(hours=hh, minutes=mm, seconds=ss)


def rand_time(day, h0=0, h1=24):
    """A random second of DAYS[day] in [h0, h1) hours, never after 23:50 (files stay in their
    day; the one late delivery is made on purpose)."""
    s = rng.randrange(h0 * 3600, min(h1 * 3600, 23 * 3600 + 50 * 60))
    return DAYS[day] + timedelta(seconds=s)


# ---- user agents and identities --------------------------------------------------------------

UA_CHROME = ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
             'Chrome/122.0.0.0 Safari/537.36')
UA_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0'
UA_CLI = ('aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-cloud-amd64 exe/x86_64.debian.12 '
          'prompt/off command/%s')
UA_TF = ('APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) '
         'terraform-provider-aws/5.39.1 (+https://registry.terraform.io/providers/hashicorp/aws) '
         'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64')
UA_BOTO = ('Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#6.1.0 md/arch#x86_64 '
           'lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.50')
UA_SDKJ = 'aws-sdk-java/2.25.6 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10'
UA_CONSOLE = 'AWS Internal'


def iam_user(acct, name, key=None, console_mfa=None, created=None):
    u = {'type': 'IAMUser', 'principalId': 'AIDA' + name.upper().replace('-', '')[:8].ljust(8, 'X')
         + acct[:9], 'arn': 'arn:aws:iam::%s:user/%s' % (acct, name), 'accountId': acct}
    if key:
        u['accessKeyId'] = key
    u['userName'] = name
    if console_mfa is not None:
        u['sessionContext'] = {'sessionIssuer': {}, 'webIdFederationData': {},
                               'attributes': {'creationDate': created,
                                              'mfaAuthenticated': console_mfa}}
    return u


def assumed(acct, role, session, key, mfa, created, role_id):
    return {'type': 'AssumedRole', 'principalId': '%s:%s' % (role_id, session),
            'arn': 'arn:aws:sts::%s:assumed-role/%s/%s' % (acct, role, session), 'accountId': acct,
            'accessKeyId': key,
            'sessionContext': {'sessionIssuer': {'type': 'Role', 'principalId': role_id,
                                                 'arn': 'arn:aws:iam::%s:role/%s' % (acct, role),
                                                 'accountId': acct, 'userName': role},
                               'webIdFederationData': {},
                               'attributes': {'creationDate': created, 'mfaAuthenticated': mfa}}}


def root(acct, mfa=None, created=None, key=''):
    u = {'type': 'Root', 'principalId': acct, 'arn': 'arn:aws:iam::%s:root' % acct,
         'accountId': acct, 'accessKeyId': key}
    if mfa is not None:
        u['sessionContext'] = {'sessionIssuer': {}, 'webIdFederationData': {},
                               'attributes': {'creationDate': created, 'mfaAuthenticated': mfa}}
    return u


def service(name):
    return {'type': 'AWSService', 'invokedBy': name}


# long-term keys
KEY_CI = 'AKIA' + 'CIDEPLOY7EXAMPLE'
KEY_BACKUP = 'AKIA' + 'SVCBACKUP6EXAMPL'
KEY_REPORT = 'AKIA' + 'REPORTS5EXAMPLE1'
KEY_DEVCI = 'AKIA' + 'DEVCI4EXAMPLE123'
KEY_ROOT_SESSION = 'ASIA' + 'ROOTCONSOLE7EXAM'
ROLE_ADMIN = 'AROA' + 'ADMINROLE2EXAMPL'
ROLE_APP = 'AROA' + 'APPSERVER3EXAMPL'
ROLE_RO = 'AROA' + 'READONLY4EXAMPLE'
ROLE_ORG = 'AROA' + 'ORGACCESS5EXAMPL'
ROLE_LAMBDA = 'AROA' + 'LAMBDAEXEC6EXAMP'

# ---- CloudTrail -------------------------------------------------------------------------------

CT = []  # every record, with a private '_acct'/'_region' for the file it goes to


def ct(t, acct, region, ident, source, name, ip, ua, req=None, resp=None, add=None, error=None,
       ro=None, data=False, resources=None, etype='AwsApiCall', version='1.08', recipient=None,
       shared=None, tls=True, deliver_region=None):
    r = {'eventVersion': version, 'userIdentity': ident, 'eventTime': iso(t),
         'eventSource': source, 'eventName': name, 'awsRegion': region, 'sourceIPAddress': ip,
         'userAgent': ua}
    if error:
        r['errorCode'], r['errorMessage'] = error
    r['requestParameters'] = req
    r['responseElements'] = resp
    if add is not None:
        r['additionalEventData'] = add
    if etype != 'AwsConsoleSignIn':
        r['requestID'] = guid() if source != 's3.amazonaws.com' else hexs(16).upper()
    r['eventID'] = guid()
    if ro is None:
        ro = name.startswith(('Describe', 'Get', 'List', 'Lookup', 'Head'))
    r['readOnly'] = ro
    if resources:
        r['resources'] = resources
    r['eventType'] = etype
    if source == 'ec2.amazonaws.com':
        r['apiVersion'] = '2016-11-15'
    r['managementEvent'] = not data
    r['recipientAccountId'] = recipient or acct
    if shared:
        r['sharedEventID'] = shared
    r['eventCategory'] = 'Data' if data else 'Management'
    if tls and ip[0].isdigit():
        host = source if source != 's3.amazonaws.com' else '%s.s3.%s.amazonaws.com' % (
            (req or {}).get('bucketName', 's3'), region)
        if source == 'signin.amazonaws.com':
            host = 'signin.aws.amazon.com'
        r['tlsDetails'] = {'tlsVersion': 'TLSv1.3', 'cipherSuite': 'TLS_AES_128_GCM_SHA256',
                           'clientProvidedHostHeader': host}
    r['_acct'] = recipient or acct
    r['_region'] = deliver_region or region
    CT.append(r)
    return r


def console_login(t, acct, ident, ip, ua, ok, mfa, version='1.09'):
    resp = {'ConsoleLogin': 'Success' if ok else 'Failure'}
    add = {'LoginTo': 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true'
                      '&state=hashArgsFromTB_us-east-1_' + hexs(16),
           'MobileVersion': 'No', 'MFAUsed': 'Yes' if mfa else 'No'}
    if ident.get('type') == 'Root' or not ok:
        add.pop('LoginTo')
    r = ct(t, acct, 'us-east-1', ident, 'signin.amazonaws.com', 'ConsoleLogin', ip, ua,
           resp=resp, add=add, ro=False, etype='AwsConsoleSignIn', version=version)
    if not ok:
        # a failed sign-in carries errorMessage only (no errorCode), where AWS puts it
        out = {}
        for k, v in r.items():
            out[k] = v
            if k == 'userAgent':
                out['errorMessage'] = 'Failed authentication'
        r.clear()
        r.update(out)
    return r


def s3_event(t, acct, region, ident, ip, ua, name, bucket, key, size=None, error=None,
             bucket_owner=None):
    owner = bucket_owner or acct
    req = {'bucketName': bucket, 'Host': '%s.s3.%s.amazonaws.com' % (bucket, region), 'key': key}
    if name == 'PutObject':
        req['x-amz-server-side-encryption'] = 'aws:kms'
    add = {'SignatureVersion': 'SigV4', 'CipherSuite': 'TLS_AES_128_GCM_SHA256',
           'bytesTransferredIn': size if name == 'PutObject' and not error else 0,
           'AuthenticationMethod': 'AuthHeader', 'x-amz-id-2': hexs(40),
           'bytesTransferredOut': size if name == 'GetObject' and not error else 0}
    resp = None
    if name == 'PutObject' and not error:
        resp = {'x-amz-server-side-encryption': 'aws:kms',
                'x-amz-server-side-encryption-aws-kms-key-id':
                    'arn:aws:kms:%s:%s:key/%s' % (region, owner, guid())}
    res = [{'type': 'AWS::S3::Object', 'ARN': 'arn:aws:s3:::%s/%s' % (bucket, key)},
           {'accountId': owner, 'type': 'AWS::S3::Bucket', 'ARN': 'arn:aws:s3:::%s' % bucket}]
    err = ('AccessDenied', 'Access Denied') if error else None
    return ct(t, acct, region, ident, 's3.amazonaws.com', name, ip, ua, req=req, resp=resp,
              add=add, error=err, ro=(name == 'GetObject'), data=True, resources=res,
              recipient=owner, version='1.09')


def ct_events():
    # -- prod principals
    alice_key = upper_id('ASIA')
    bob_key = upper_id('ASIA')
    # Day 1 ------------------------------------------------------------------------------
    t = at(0, 8, 2, 11)
    console_login(t, PROD, iam_user(PROD, 'alice'), '198.51.100.10', UA_CHROME, True, True)
    alice_c = iam_user(PROD, 'alice', alice_key, 'true', iso(t))
    for i, (src, name) in enumerate([('ec2.amazonaws.com', 'DescribeInstances'),
                                     ('ec2.amazonaws.com', 'DescribeSecurityGroups'),
                                     ('cloudtrail.amazonaws.com', 'LookupEvents'),
                                     ('iam.amazonaws.com', 'ListUsers')]):
        ct(at(0, 8, 4 + 2 * i, 30), PROD, 'us-east-1', alice_c, src, name, '198.51.100.10',
           UA_CONSOLE, req={'maxResults': 50} if src == 'ec2.amazonaws.com' else None)
    t = at(0, 9, 15, 40)
    console_login(t, PROD, iam_user(PROD, 'bob'), '198.51.100.45', UA_FIREFOX, True, False)
    bob_c = iam_user(PROD, 'bob', bob_key, 'false', iso(t))
    ct(at(0, 9, 18, 2), PROD, 'us-east-1', bob_c, 'iam.amazonaws.com', 'ListUsers',
       '198.51.100.45', UA_CONSOLE)
    ct(at(0, 9, 20, 13), PROD, 'us-east-1', bob_c, 'iam.amazonaws.com', 'CreateUser',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'temp-contractor'},
       resp={'user': {'path': '/', 'userName': 'temp-contractor',
                      'userId': 'AIDATEMPCONTRACTOR01',
                      'arn': 'arn:aws:iam::%s:user/temp-contractor' % PROD,
                      'createDate': 'Mar 1, 2024 9:20:13 AM'}})
    ct(at(0, 9, 22, 51), PROD, 'us-east-1', bob_c, 'iam.amazonaws.com', 'AttachUserPolicy',
       '198.51.100.45', UA_CONSOLE,
       req={'userName': 'temp-contractor',
            'policyArn': 'arn:aws:iam::aws:policy/AdministratorAccess'})
    ct(at(0, 9, 25, 5), PROD, 'us-east-1', bob_c, 'iam.amazonaws.com', 'CreateAccessKey',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'temp-contractor'},
       resp={'accessKey': {'userName': 'temp-contractor', 'accessKeyId': 'AKIATEMPCONTRACT0001',
                           'status': 'Active', 'createDate': 'Mar 1, 2024 9:25:05 AM'}})
    ct(at(0, 10, 41, 0), PROD, 'us-east-1', bob_c, 'iam.amazonaws.com', 'CreateLoginProfile',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'temp-contractor',
                                         'passwordResetRequired': True},
       resp={'loginProfile': {'userName': 'temp-contractor',
                              'createDate': 'Mar 1, 2024 10:41:00 AM',
                              'passwordResetRequired': True}})
    # the read-only operator role tries to stop an instance
    ro_ops = assumed(PROD, 'ReadOnly', 'ops-oncall', upper_id('ASIA'), 'false', iso(at(0, 11, 0)),
                     ROLE_RO)
    ct(at(0, 11, 3, 7), PROD, 'us-east-1', ro_ops, 'ec2.amazonaws.com', 'StopInstances',
       '198.51.100.61', UA_CLI % 'ec2.stop-instances', req={'instancesSet': {'items': [
           {'instanceId': 'i-0abc1230def456789'}]}, 'force': False},
       error=('Client.UnauthorizedOperation',
              'You are not authorized to perform this operation. User: '
              'arn:aws:sts::111122223333:assumed-role/ReadOnly/ops-oncall is not authorized'))
    ct(at(0, 11, 4, 40), PROD, 'us-east-1', ro_ops, 'ec2.amazonaws.com', 'DescribeInstances',
       '198.51.100.61', UA_CLI % 'ec2.describe-instances')
    # a late record: 23:57 on day 1, delivered in a file of day 2
    ct(at(0, 23, 57, 31), PROD, 'us-east-1', service('ec2.amazonaws.com'), 'sts.amazonaws.com',
       'AssumeRole', 'ec2.amazonaws.com', 'ec2.amazonaws.com',
       req={'roleArn': 'arn:aws:iam::%s:role/app-server' % PROD,
            'roleSessionName': 'i-0abc1230def456789'},
       resp={'credentials': {'accessKeyId': 'ASIAAPPSERVERLATE01',
                             'sessionToken': 'IQoJb3JpZ2luX2VjEXAMPLE',
                             'expiration': 'Mar 2, 2024, 6:57:31 AM'}},
       resources=[{'accountId': PROD, 'type': 'AWS::IAM::Role',
                   'ARN': 'arn:aws:iam::%s:role/app-server' % PROD}], tls=False)
    # svc-backup's own nightly job, from the backup host
    backup_k = iam_user(PROD, 'svc-backup', KEY_BACKUP)
    for day in (0, 1):
        ct(at(day, 1, 30, 4), PROD, 'us-east-1', backup_k, 's3.amazonaws.com', 'ListBuckets',
           '198.51.100.201', UA_BOTO)
        ct(at(day, 1, 31, 9), PROD, 'us-east-1', backup_k, 'rds.amazonaws.com',
           'CreateDBSnapshot', '198.51.100.201', UA_BOTO,
           req={'dBSnapshotIdentifier': 'nightly-%d' % (day + 1),
                'dBInstanceIdentifier': 'prod-db'})
    # Day 2: the svc-backup key, stolen, used from 203.0.113.66 --------------------------
    atk_ip = '203.0.113.66'
    seq = [('sts.amazonaws.com', 'GetCallerIdentity', None),
           ('iam.amazonaws.com', 'ListUsers', 'deny'),
           ('iam.amazonaws.com', 'GetAccountAuthorizationDetails', 'deny'),
           ('iam.amazonaws.com', 'ListRoles', 'deny'),
           ('s3.amazonaws.com', 'ListBuckets', None),
           ('ec2.amazonaws.com', 'DescribeInstances', None),
           ('guardduty.amazonaws.com', 'ListDetectors', 'deny'),
           ('cloudtrail.amazonaws.com', 'DescribeTrails', None),
           ('iam.amazonaws.com', 'ListAttachedUserPolicies', None)]
    for i, (src, name, deny) in enumerate(seq):
        err = None
        if deny:
            err = ('AccessDenied', 'User: arn:aws:iam::%s:user/svc-backup is not authorized to '
                   'perform: %s:%s' % (PROD, src.split('.')[0], name))
        ct(at(1, 2, 10 + i, 5 * i), PROD, 'us-east-1', backup_k, src, name, atk_ip, UA_BOTO,
           error=err, req={'userName': 'svc-backup'} if name == 'ListAttachedUserPolicies'
           else None)
    for i in range(14):
        s3_event(at(1, 2, 25 + i, 3 * i), PROD, 'us-east-1', backup_k, atk_ip, UA_BOTO,
                 'GetObject', 'prod-customer-data', 'exports/2024/02/customers-%02d.csv.gz' % i,
                 size=5000000 + 137 * i)
    for i in range(3):
        s3_event(at(1, 2, 40 + i, 10), PROD, 'us-east-1', backup_k, atk_ip, UA_BOTO, 'GetObject',
                 'prod-finance', 'ledger/2024-0%d.xlsx' % (i + 1), error=True)
    ct(at(1, 2, 45, 0), PROD, 'us-east-1', backup_k, 'iam.amazonaws.com', 'CreateUser',
       atk_ip, UA_BOTO, req={'userName': 'backup-admin'},
       resp={'user': {'path': '/', 'userName': 'backup-admin', 'userId': 'AIDABACKUPADMIN00001',
                      'arn': 'arn:aws:iam::%s:user/backup-admin' % PROD,
                      'createDate': 'Mar 2, 2024 2:45:00 AM'}})
    ct(at(1, 2, 46, 30), PROD, 'us-east-1', backup_k, 'iam.amazonaws.com', 'AttachUserPolicy',
       atk_ip, UA_BOTO, req={'userName': 'backup-admin',
                             'policyArn': 'arn:aws:iam::aws:policy/AdministratorAccess'},
       error=('AccessDenied', 'User: arn:aws:iam::%s:user/svc-backup is not authorized to '
              'perform: iam:AttachUserPolicy' % PROD))
    ct(at(1, 2, 47, 12), PROD, 'us-east-1', backup_k, 'iam.amazonaws.com', 'CreateAccessKey',
       atk_ip, UA_BOTO, req={'userName': 'backup-admin'},
       resp={'accessKey': {'userName': 'backup-admin', 'accessKeyId': 'AKIABACKUPADMIN00001',
                           'status': 'Active', 'createDate': 'Mar 2, 2024 2:47:12 AM'}})
    ct(at(1, 2, 49, 0), PROD, 'us-east-1', backup_k, 'cloudtrail.amazonaws.com', 'StopLogging',
       atk_ip, UA_BOTO, req={'name': 'arn:aws:cloudtrail:us-east-1:%s:trail/org-trail' % PROD},
       error=('AccessDenied', 'User: arn:aws:iam::%s:user/svc-backup is not authorized to '
              'perform: cloudtrail:StopLogging' % PROD))
    ct(at(1, 2, 50, 30), PROD, 'eu-west-1', backup_k, 'ec2.amazonaws.com', 'DescribeInstances',
       atk_ip, UA_BOTO)
    ct(at(1, 2, 51, 0), PROD, 'eu-west-1', backup_k, 'ec2.amazonaws.com', 'RunInstances',
       atk_ip, UA_BOTO, req={'instanceType': 'p3.16xlarge', 'minCount': 1, 'maxCount': 4},
       error=('Client.UnauthorizedOperation', 'You are not authorized to perform this '
              'operation.'))
    # failed sign-ins on day 2
    for i, (name, ip) in enumerate([('bob', atk_ip), ('bob', atk_ip), ('bob', atk_ip),
                                    (None, '192.0.2.200'), (None, '192.0.2.200')]):
        ident = iam_user(PROD, name) if name else {
            'type': 'IAMUser', 'principalId': '', 'accountId': PROD, 'accessKeyId': '',
            'userName': 'HIDDEN_DUE_TO_SECURITY_REASONS'}
        console_login(at(1, 3, 5 + 2 * i, 17), PROD, ident, ip, UA_FIREFOX if name else UA_CHROME,
                      False, False)
    t = at(1, 14, 2, 9)
    console_login(t, PROD, iam_user(PROD, 'bob'), '198.51.100.45', UA_FIREFOX, True, False)
    bob_c2 = iam_user(PROD, 'bob', upper_id('ASIA'), 'false', iso(t))
    ct(at(1, 14, 30, 44), PROD, 'us-east-1', bob_c2, 'iam.amazonaws.com', 'DeleteUser',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'backup-admin'}, error=(
           'DeleteConflict', 'Cannot delete entity, must delete access keys first.'))
    ct(at(1, 14, 31, 10), PROD, 'us-east-1', bob_c2, 'iam.amazonaws.com', 'DeleteAccessKey',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'backup-admin',
                                         'accessKeyId': 'AKIABACKUPADMIN00001'})
    ct(at(1, 14, 31, 58), PROD, 'us-east-1', bob_c2, 'iam.amazonaws.com', 'DeleteUser',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'backup-admin'})
    ct(at(1, 16, 5, 0), PROD, 'us-east-1', bob_c2, 'iam.amazonaws.com', 'UpdateAccessKey',
       '198.51.100.45', UA_CONSOLE, req={'userName': 'svc-backup', 'accessKeyId': KEY_BACKUP,
                                         'status': 'Inactive'})
    # Day 3: root without MFA; admin role work ------------------------------------------
    t = at(2, 7, 12, 40)
    console_login(t, PROD, root(PROD), '192.0.2.99', UA_CHROME, True, False)
    root_c = root(PROD, 'false', iso(t), KEY_ROOT_SESSION)
    ct(at(2, 7, 14, 1), PROD, 'us-east-1', root_c, 'iam.amazonaws.com', 'GetAccountSummary',
       '192.0.2.99', UA_CONSOLE)
    ct(at(2, 7, 15, 33), PROD, 'us-east-1', root_c, 'cloudtrail.amazonaws.com', 'StopLogging',
       '192.0.2.99', UA_CONSOLE,
       req={'name': 'arn:aws:cloudtrail:us-east-1:%s:trail/org-trail' % PROD})
    ct(at(2, 7, 18, 20), PROD, 'us-east-1', root_c, 'cloudtrail.amazonaws.com', 'StartLogging',
       '192.0.2.99', UA_CONSOLE,
       req={'name': 'arn:aws:cloudtrail:us-east-1:%s:trail/org-trail' % PROD})
    ct(at(2, 7, 21, 2), PROD, 'us-east-1', root_c, 'iam.amazonaws.com', 'CreateAccessKey',
       '192.0.2.99', UA_CONSOLE, resp={'accessKey': {
           'userName': 'root', 'accessKeyId': 'AKIAROOTKEYEXAMPLE01', 'status': 'Active',
           'createDate': 'Mar 3, 2024 7:21:02 AM'}})
    admin = assumed(PROD, 'Admin', 'alice', upper_id('ASIA'), 'true', iso(at(2, 9, 0)), ROLE_ADMIN)
    for i, (name, req) in enumerate([
        ('PutRolePolicy', {'roleName': 'lambda-exec', 'policyName': 'inline-s3-write',
                           'policyDocument': '{"Version":"2012-10-17","Statement":[{"Effect":'
                                             '"Allow","Action":"s3:PutObject","Resource":'
                                             '"arn:aws:s3:::prod-app-logs/*"}]}'}),
        ('AttachRolePolicy', {'roleName': 'lambda-exec',
                              'policyArn': 'arn:aws:iam::aws:policy/AWSLambdaExecute'}),
        ('CreatePolicyVersion', {'policyArn': 'arn:aws:iam::%s:policy/app-deploy' % PROD,
                                 'setAsDefault': True}),
        ('DetachUserPolicy', {'userName': 'temp-contractor',
                              'policyArn': 'arn:aws:iam::aws:policy/AdministratorAccess'}),
        ('DeleteLoginProfile', {'userName': 'temp-contractor'}),
        ('UpdateTrail', {'name': 'org-trail', 'isMultiRegionTrail': True}),
    ]):
        src = 'cloudtrail.amazonaws.com' if name == 'UpdateTrail' else 'iam.amazonaws.com'
        ct(at(2, 9, 5 + 7 * i, 12), PROD, 'us-east-1', admin, src, name, '198.51.100.10',
           UA_CLI % ('iam.' + name.lower()), req=req)
    ct(at(2, 10, 2, 0), PROD, 'eu-west-1', admin, 'ec2.amazonaws.com', 'DeleteFlowLogs',
       '198.51.100.10', UA_CLI % 'ec2.delete-flow-logs',
       req={'DeleteFlowLogsRequest': {'FlowLogId': {'tag': 1, 'content': 'fl-0eu1234567890abc'}}},
       resp={'DeleteFlowLogsResponse': {'requestId': guid(), 'unsuccessful': ''}})
    # cross-account: alice assumes the dev account's OrganizationAccountAccessRole ------------
    for day in (0, 2):
        t = at(day, 13, 3, 0)
        shared = guid()
        req = {'roleArn': 'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % DEV,
               'roleSessionName': 'alice', 'durationSeconds': 3600}
        resp = {'credentials': {'accessKeyId': upper_id('ASIA'),
                                'sessionToken': 'IQoJb3JpZ2luX2VjEXAMPLE',
                                'expiration': 'Mar %d, 2024, 2:03:00 PM' % (day + 1)},
                'assumedRoleUser': {'assumedRoleId': ROLE_ORG + ':alice',
                                    'arn': 'arn:aws:sts::%s:assumed-role/'
                                           'OrganizationAccountAccessRole/alice' % DEV}}
        res = [{'accountId': DEV, 'type': 'AWS::IAM::Role',
                'ARN': 'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % DEV}]
        ident = iam_user(PROD, 'alice', upper_id('ASIA'), 'true', iso(at(day, 8, 2, 11)))
        ct(t, PROD, 'us-east-1', ident, 'sts.amazonaws.com', 'AssumeRole', '198.51.100.10',
           UA_CONSOLE, req=req, resp=resp, resources=res, shared=shared)
        ct(t, PROD, 'us-east-1', ident, 'sts.amazonaws.com', 'AssumeRole', '198.51.100.10',
           UA_CONSOLE, req=req, resp=resp, resources=res, shared=shared, recipient=DEV)
        org = assumed(DEV, 'OrganizationAccountAccessRole', 'alice', upper_id('ASIA'), 'true',
                      iso(t), ROLE_ORG)
        for j, (name, region) in enumerate([('DescribeInstances', 'eu-west-1'),
                                            ('ListFunctions20150331', 'eu-west-1'),
                                            ('ListRoles', 'us-east-1')]):
            src = {'DescribeInstances': 'ec2.amazonaws.com',
                   'ListFunctions20150331': 'lambda.amazonaws.com'}.get(name, 'iam.amazonaws.com')
            ct(at(day, 13, 5 + j, 9), DEV, region, org, src, name, '198.51.100.10', UA_CONSOLE)
    # dev account sign-ins and IAM --------------------------------------------------------
    console_login(at(0, 8, 40, 0), DEV, iam_user(DEV, 'carol'), '192.0.2.33', UA_CHROME, True,
                  True)
    console_login(at(1, 8, 38, 30), DEV, iam_user(DEV, 'carol'), '192.0.2.33', UA_CHROME, True,
                  True)
    t = at(1, 19, 44, 2)
    console_login(t, DEV, iam_user(DEV, 'dave'), '198.51.100.77', UA_FIREFOX, True, False)
    dave_c = iam_user(DEV, 'dave', upper_id('ASIA'), 'false', iso(t))
    ct(at(1, 19, 50, 15), DEV, 'us-east-1', dave_c, 'iam.amazonaws.com', 'CreateRole',
       '198.51.100.77', UA_CONSOLE, req={'roleName': 'dave-test', 'assumeRolePolicyDocument':
                                         '{"Version":"2012-10-17","Statement":[]}'})
    ct(at(1, 19, 53, 40), DEV, 'us-east-1', dave_c, 'iam.amazonaws.com', 'PutRolePolicy',
       '198.51.100.77', UA_CONSOLE, req={'roleName': 'dave-test', 'policyName': 'star',
                                         'policyDocument': '{"Statement":[{"Effect":"Allow",'
                                                           '"Action":"*","Resource":"*"}]}'})
    ct(at(1, 20, 58, 0), DEV, 'us-east-1', dave_c, 'iam.amazonaws.com', 'DeleteRole',
       '198.51.100.77', UA_CONSOLE, req={'roleName': 'dave-test'}, error=(
           'DeleteConflict', 'Cannot delete entity, must delete policies first.'))
    console_login(at(2, 6, 1, 0), DEV, iam_user(DEV, 'dave'), '203.0.113.66', UA_CHROME, False,
                  False)
    console_login(at(2, 6, 3, 0), DEV, {'type': 'IAMUser', 'principalId': '', 'accountId': DEV,
                                        'accessKeyId': '',
                                        'userName': 'HIDDEN_DUE_TO_SECURITY_REASONS'},
                  '203.0.113.66', UA_CHROME, False, False)
    # S3 data events ----------------------------------------------------------------------
    app = {}
    for day in range(3):
        app[day] = assumed(PROD, 'app-server', 'i-0abc1230def456789', upper_id('ASIA'), 'false',
                           iso(at(day, 0, 5)), ROLE_APP)
    for n in range(30):
        day = n % 3
        t = rand_time(day, 1, 23)
        if n % 5 == 4:
            s3_event(t, PROD, 'us-east-1', app[day], '10.0.1.10', UA_SDKJ, 'PutObject',
                     'prod-app-logs', 'app/%s/%05d.log.gz' % (iso(t)[:10], n),
                     size=rng.randrange(20000, 90000))
        else:
            s3_event(t, PROD, 'us-east-1', app[day], '10.0.1.10', UA_SDKJ, 'GetObject',
                     'prod-app-assets', 'static/img/%03d.png' % rng.randrange(40),
                     size=rng.randrange(3000, 400000))
    devci = iam_user(DEV, 'dev-ci', KEY_DEVCI)
    for day in range(3):
        s3_event(rand_time(day, 9, 18), DEV, 'us-east-1', devci, '192.0.2.150', UA_TF,
                 'GetObject', 'prod-app-assets', 'release/app-1.4.%d.tar.gz' % day,
                 size=1200000 + day, bucket_owner=PROD)
        for k in range(4):
            t = rand_time(day, 9, 18)
            s3_event(t, DEV, 'eu-west-1', devci, '192.0.2.150', UA_TF,
                     'PutObject' if k % 2 else 'GetObject', 'dev-eu-data',
                     'builds/%d/%d.zip' % (day, k), size=rng.randrange(10000, 99999))
    # background noise --------------------------------------------------------------------
    ci = iam_user(PROD, 'ci-deploy', KEY_CI)
    reports = iam_user(PROD, 'reports', KEY_REPORT)
    noise_prod = [
        (ci, ['192.0.2.10', '192.0.2.11'], UA_TF,
         [('ec2.amazonaws.com', 'DescribeInstances'), ('ec2.amazonaws.com', 'DescribeVpcs'),
          ('ec2.amazonaws.com', 'DescribeSecurityGroups'), ('iam.amazonaws.com', 'GetRole'),
          ('lambda.amazonaws.com', 'GetFunction20150331v2'), ('sts.amazonaws.com',
                                                              'GetCallerIdentity')]),
        (reports, ['198.51.100.200'], UA_BOTO,
         [('monitoring.amazonaws.com', 'GetMetricData'), ('ce.amazonaws.com', 'GetCostAndUsage'),
          ('s3.amazonaws.com', 'ListBuckets')]),
        (service('ssm.amazonaws.com'), ['ssm.amazonaws.com'], 'ssm.amazonaws.com',
         [('kms.amazonaws.com', 'Decrypt'), ('ec2.amazonaws.com', 'DescribeInstanceStatus')]),
    ]
    noise_dev = [
        (devci, ['192.0.2.150'], UA_TF,
         [('ec2.amazonaws.com', 'DescribeInstances'), ('lambda.amazonaws.com',
                                                       'ListFunctions20150331'),
          ('logs.amazonaws.com', 'DescribeLogGroups')]),
        (service('lambda.amazonaws.com'), ['lambda.amazonaws.com'], 'lambda.amazonaws.com',
         [('kms.amazonaws.com', 'Decrypt'), ('logs.amazonaws.com', 'CreateLogStream')]),
    ]
    for acct, pools, n in ((PROD, noise_prod, 110), (DEV, noise_dev, 56)):
        for i in range(n):
            ident, ips, ua, apis = pools[i % len(pools)]
            src, name = rng.choice(apis)
            day = rng.randrange(3)
            region = 'us-east-1' if src in ('iam.amazonaws.com', 'sts.amazonaws.com',
                                            'ce.amazonaws.com', 's3.amazonaws.com') else \
                rng.choice(['us-east-1', 'eu-west-1'])
            if ident is ci and day == 1:
                ip = '192.0.2.11'
            else:
                ip = ips[0]
            req = None
            if name == 'Decrypt':
                req = {'encryptionAlgorithm': 'SYMMETRIC_DEFAULT'}
            ct(rand_time(day), acct, region, ident, src, name, ip, ua, req=req, tls=ua != ip)


# ---- VPC flow logs ---------------------------------------------------------------------------

FLOW = []  # (acct, region, day, fields dict)
ENI = {'web1': ('eni-0a1b2c3d4e5f60001', '10.0.1.10'), 'web2': ('eni-0a1b2c3d4e5f60002',
                                                                  '10.0.1.11'),
       'db': ('eni-0a1b2c3d4e5f60003', '10.0.2.20'), 'bastion': ('eni-0a1b2c3d4e5f60004',
                                                                 '10.0.0.5'),
       'idle': ('eni-0a1b2c3d4e5f60005', '10.0.3.7'), 'devapp': ('eni-0f9e8d7c6b5a40001',
                                                                  '172.31.5.10'),
       'devidle': ('eni-0f9e8d7c6b5a40002', '172.31.5.11')}


def flow(acct, region, day, eni, src, dst, sport, dport, proto, packets, nbytes, start,
         action='ACCEPT', status='OK'):
    FLOW.append((acct, region, day, {
        'version': 2, 'account_id': acct, 'interface_id': ENI[eni][0], 'srcaddr': src,
        'dstaddr': dst, 'srcport': sport, 'dstport': dport, 'protocol': proto,
        'packets': packets, 'bytes': nbytes, 'start': start, 'end': start + rng.randrange(
            5, 60), 'action': action, 'log_status': status}))


def nodata(acct, region, day, eni, start):
    FLOW.append((acct, region, day, {
        'version': 2, 'account_id': acct, 'interface_id': ENI[eni][0], 'srcaddr': None,
        'dstaddr': None, 'srcport': None, 'dstport': None, 'protocol': None, 'packets': None,
        'bytes': None, 'start': start, 'end': start + 60, 'action': None,
        'log_status': 'NODATA'}))


def epoch(day, h0=0, h1=24):
    return int(rand_time(day, h0, h1).timestamp())


def flow_records():
    clients = ['198.51.100.%d' % i for i in (31, 32, 33, 34, 35)] + ['192.0.2.%d' % i
                                                                     for i in (70, 71, 72)]
    noise = ['203.0.113.%d' % i for i in (5, 17, 29, 41)]
    for day in range(3):
        for i in range(34):  # HTTPS to the web servers
            w = 'web1' if i % 2 == 0 else 'web2'
            c = clients[rng.randrange(len(clients))]
            t = epoch(day)
            flow(PROD, 'us-east-1', day, w, c, ENI[w][1], rng.randrange(32768, 61000), 443, 6,
                 rng.randrange(8, 60), rng.randrange(2000, 60000), t)
            flow(PROD, 'us-east-1', day, w, ENI[w][1], c, 443, rng.randrange(32768, 61000), 6,
                 rng.randrange(8, 90), rng.randrange(20000, 400000), t)
        for i in range(10):  # web <-> db, logged on both interfaces
            w = 'web1' if i % 2 == 0 else 'web2'
            t = epoch(day)
            sport = rng.randrange(40000, 50000)
            q, a = rng.randrange(3000, 9000), rng.randrange(900000, 2500000)
            for eni in (w, 'db'):
                flow(PROD, 'us-east-1', day, eni, ENI[w][1], ENI['db'][1], sport, 5432, 6,
                     rng.randrange(10, 30), q, t)
                flow(PROD, 'us-east-1', day, eni, ENI['db'][1], ENI[w][1], 5432, sport, 6,
                     rng.randrange(600, 1800), a, t)
        for i in range(2):  # admin SSH to the bastion, then psql to the db
            t = epoch(day, 8, 18)
            flow(PROD, 'us-east-1', day, 'bastion', '198.51.100.23', ENI['bastion'][1],
                 rng.randrange(50000, 60000), 22, 6, rng.randrange(100, 400),
                 rng.randrange(20000, 90000), t)
            flow(PROD, 'us-east-1', day, 'bastion', ENI['bastion'][1], ENI['db'][1],
                 rng.randrange(40000, 50000), 5432, 6, rng.randrange(20, 80),
                 rng.randrange(4000, 20000), t + 30)
        for i in range(8):  # internet noise on admin ports, rejected
            src = noise[rng.randrange(len(noise))]
            eni = rng.choice(['bastion', 'web1', 'web2'])
            flow(PROD, 'us-east-1', day, eni, src, ENI[eni][1], rng.randrange(1024, 65535),
                 rng.choice([22, 3389, 23, 445]), 6, 1, 40 + 4 * rng.randrange(3), epoch(day),
                 action='REJECT')
        for i in range(3):  # NTP out, ICMP in (rejected)
            flow(PROD, 'us-east-1', day, 'web1', ENI['web1'][1], '192.0.2.123', 123, 123, 17, 1,
                 76, epoch(day))
        flow(PROD, 'us-east-1', day, 'web2', '192.0.2.50', ENI['web2'][1], 0, 0, 1, 4, 336,
             epoch(day), action='REJECT')
        for h in (3, 11, 19):  # the idle interface
            nodata(PROD, 'us-east-1', day, 'idle', int(at(day, h, 0).timestamp()))
        # dev account, eu-west-1
        for i in range(6):
            t = epoch(day)
            c = clients[rng.randrange(len(clients))]
            flow(DEV, 'eu-west-1', day, 'devapp', c, ENI['devapp'][1],
                 rng.randrange(32768, 61000), 8080, 6, rng.randrange(5, 40),
                 rng.randrange(1000, 30000), t)
            flow(DEV, 'eu-west-1', day, 'devapp', ENI['devapp'][1], c, 8080,
                 rng.randrange(32768, 61000), 6, rng.randrange(5, 40), rng.randrange(1000, 90000),
                 t)
        for i in range(4):
            src = noise[rng.randrange(len(noise))]
            flow(DEV, 'eu-west-1', day, 'devapp', src, ENI['devapp'][1],
                 rng.randrange(1024, 65535), rng.choice([22, 3389]), 6, 1, 40, epoch(day),
                 action='REJECT')
        for h in (5, 17):
            nodata(DEV, 'eu-west-1', day, 'devidle', int(at(day, h, 0).timestamp()))
    # day 2: a port scan from 203.0.113.99 and an exfiltration from web2 to 203.0.113.66
    ports = [21, 22, 23, 25, 80, 110, 135, 139, 443, 445, 1433, 3306, 3389, 5432, 5900, 6379,
             8080, 9200]
    base = int(at(1, 1, 12).timestamp())
    for i, p in enumerate(ports):
        flow(PROD, 'us-east-1', 1, 'web1', '203.0.113.99', ENI['web1'][1], 40000 + i, p, 6, 1, 44,
             base + 2 * i, action='ACCEPT' if p == 443 else 'REJECT')
    for i, p in enumerate([22, 3389, 5432, 6379]):
        flow(PROD, 'us-east-1', 1, 'web2', '203.0.113.99', ENI['web2'][1], 41000 + i, p, 6, 1, 44,
             base + 60 + 2 * i, action='REJECT')
    base = int(at(1, 2, 55).timestamp())
    for i in range(6):
        flow(PROD, 'us-east-1', 1, 'web2', ENI['web2'][1], '203.0.113.66', 51000 + i, 443, 6,
             48000 + 311 * i, 62000000 + 1000003 * i, base + 61 * i)
        flow(PROD, 'us-east-1', 1, 'web2', '203.0.113.66', ENI['web2'][1], 443, 51000 + i, 6,
             9000 + 17 * i, 540000 + 1009 * i, base + 61 * i)


# ---- Route 53 Resolver query logs ------------------------------------------------------------

DNS = []  # (day, record)
VPC = 'vpc-0abc1234def567890'
INST = {'10.0.1.10': 'i-0abc1230def456789', '10.0.1.11': 'i-0abc1230def456790',
        '10.0.0.5': 'i-0abc1230def456791'}


def dns(t, src, name, qtype='A', rcode='NOERROR', answers=(), fw=None, transport='UDP'):
    r = {'version': '1.100000', 'account_id': PROD, 'region': 'us-east-1', 'vpc_id': VPC,
         'query_timestamp': t.strftime('%Y-%m-%dT%H:%M:%S') + '.%03dZ' % rng.randrange(1000),
         'query_name': name, 'query_type': qtype, 'query_class': 'IN', 'rcode': rcode,
         'answers': [{'Rdata': a, 'Type': ty, 'Class': 'IN'} for ty, a in answers],
         'srcaddr': src, 'srcport': str(rng.randrange(1024, 65535)), 'transport': transport,
         'srcids': {'instance': INST[src]}}
    if fw:
        r['firewall_rule_group_id'] = 'rslvr-frg-0a1b2c3d4e5f6a7b8'
        r['firewall_rule_action'] = fw
        r['firewall_domain_list_id'] = 'rslvr-fdl-0f1e2d3c4b5a69788'
    DNS.append((t.day - 1, r))


def dns_records():
    common = [
        ('s3.us-east-1.amazonaws.com.', [('A', '52.216.8.13'), ('A', '52.216.8.14')]),
        ('sts.us-east-1.amazonaws.com.', [('A', '209.54.177.164')]),
        ('db.internal.corp.', [('A', '10.0.2.20')]),
        ('api.example.com.', [('CNAME', 'api.example.com.cdn.example.net.'),
                              ('A', '198.51.100.150')]),
        ('ssm.us-east-1.amazonaws.com.', [('A', '3.236.169.1')]),
        ('WWW.Example.COM.', [('A', '198.51.100.80')]),
    ]
    for day in range(3):
        for i in range(24):
            src = ['10.0.1.10', '10.0.1.11', '10.0.0.5'][i % 3]
            name, ans = common[rng.randrange(len(common))]
            dns(rand_time(day), src, name, answers=ans)
        dns(rand_time(day), '10.0.1.10', 'db.internal.corp.', qtype='AAAA')
        dns(rand_time(day), '10.0.0.5', 'missing.internal.corp.', rcode='NXDOMAIN')
        dns(rand_time(day), '10.0.1.10', '20.2.0.10.in-addr.arpa.', qtype='PTR',
            answers=[('PTR', 'db.internal.corp.')])
    # day 2: web2 resolves the command-and-control name, then many generated names
    dns(at(1, 2, 54, 10), '10.0.1.11', 'update.bad-domain.example.',
        answers=[('A', '203.0.113.66')])
    dns(at(1, 2, 54, 11), '10.0.1.11', 'update.bad-domain.example.', qtype='AAAA')
    dns(at(1, 4, 10, 0), '10.0.1.11', 'update.bad-domain.example.',
        answers=[('A', '203.0.113.66')])
    for i in range(9):
        label = ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(12))
        dns(at(1, 3, 0, 13 * i), '10.0.1.11', label + '.bad-domain.example.', rcode='NXDOMAIN')
    for d in (1, 2):
        dns(at(d, 5, 30, 0), '10.0.1.11', 'pool.miner-example.net.', rcode='NXDOMAIN',
            fw='BLOCK')
    dns(at(2, 6, 0, 0), '10.0.1.10', 'pool.miner-example.net.', rcode='NOERROR', fw='ALERT',
        answers=[('A', '192.0.2.250')], transport='TCP')


# ---- Kubernetes audit ------------------------------------------------------------------------

K8S = []  # (day, event)


def k8s(t, user, verb, uri, code, resource=None, ns=None, name=None, sub=None, ips=None,
        ua='kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819', level='Metadata', groups=None,
        extra=None, reason=''):
    u = {'username': user, 'uid': 'aws-iam-authenticator:%s:%s' % (PROD, upper_id('AIDA', 12))
         if not user.startswith('system:') else guid(),
         'groups': groups or ['system:authenticated']}
    if extra:
        u['extra'] = extra
    ev = {'kind': 'Event', 'apiVersion': 'audit.k8s.io/v1', 'level': level, 'auditID': guid(),
          'stage': 'ResponseComplete', 'requestURI': uri, 'verb': verb, 'user': u,
          'sourceIPs': ips or ['10.0.0.5'], 'userAgent': ua}
    if resource:
        o = {'resource': resource}
        if ns:
            o['namespace'] = ns
        if name:
            o['name'] = name
        if sub:
            o['subresource'] = sub
        o['apiGroup'] = 'rbac.authorization.k8s.io' if 'binding' in resource else ''
        o['apiVersion'] = 'v1'
        if not o['apiGroup']:
            del o['apiGroup']
        ev['objectRef'] = o
    st = {'metadata': {}, 'code': code}
    if code >= 400:
        st = {'metadata': {}, 'status': 'Failure', 'message': reason or 'forbidden',
              'reason': 'Forbidden', 'details': {'kind': resource or ''}, 'code': code}
    ev['responseStatus'] = st
    ev['requestReceivedTimestamp'] = t.strftime('%Y-%m-%dT%H:%M:%S.') + '%06dZ' % (
        rng.randrange(1000000))
    # the response a few milliseconds later, within the same second
    ev['stageTimestamp'] = ev['requestReceivedTimestamp'][:20] + '%06dZ' % min(
        999999, int(ev['requestReceivedTimestamp'][20:26]) + rng.randrange(100, 5000))
    ev['annotations'] = {'authorization.k8s.io/decision': 'allow' if code < 400 else 'forbid',
                         'authorization.k8s.io/reason': ''}
    K8S.append((t.day - 1, ev))


def k8s_records():
    admin_extra = {'arn': ['arn:aws:sts::%s:assumed-role/Admin/alice' % PROD],
                   'sessionName': ['alice'], 'accessKeyId': [upper_id('ASIA')]}
    masters = ['system:masters', 'system:authenticated']
    bob_extra = {'arn': ['arn:aws:iam::%s:user/bob' % PROD], 'accessKeyId': [upper_id('AKIA')]}
    for day in range(3):
        for i in range(9):  # routine work
            verb, res, ns = [('list', 'pods', 'shop'), ('get', 'deployments', 'shop'),
                             ('list', 'services', 'shop'), ('get', 'configmaps', 'kube-system'),
                             ('list', 'nodes', None)][i % 5]
            name = {'deployments': 'cart', 'configmaps': 'aws-auth'}.get(res)
            if ns:
                uri = '/api/v1/namespaces/%s/%s' % (ns, res) if res != 'deployments' else \
                    '/apis/apps/v1/namespaces/%s/deployments' % ns
            else:
                uri = '/api/v1/%s' % res
            if name:
                uri += '/' + name
            k8s(rand_time(day, 8, 18), 'kubernetes-admin', verb, uri, 200, res, ns, name,
                ips=['198.51.100.10'], groups=masters, extra=admin_extra)
        for i in range(4):
            k8s(rand_time(day), 'system:serviceaccount:kube-system:coredns', 'watch',
                '/api/v1/endpointslices?watch=true', 200, 'endpointslices', ips=['10.0.1.10'],
                ua='coredns/v1.11.1 (linux/amd64) kubernetes/$Format',
                groups=['system:serviceaccounts', 'system:serviceaccounts:kube-system',
                        'system:authenticated'])
        k8s(rand_time(day), 'system:anonymous', 'get', '/api/v1/namespaces/kube-system/secrets',
            403, 'secrets', 'kube-system', ips=['203.0.113.99'], ua='curl/8.5.0',
            groups=['system:unauthenticated'],
            reason='secrets is forbidden: User "system:anonymous" cannot list resource')
    # day 2: bob probes secrets, execs into a pod and binds himself cluster-admin
    k8s(at(1, 14, 40, 0), 'bob', 'list', '/api/v1/namespaces/kube-system/secrets', 403, 'secrets',
        'kube-system', ips=['198.51.100.45'], extra=bob_extra)
    k8s(at(1, 14, 40, 30), 'bob', 'get', '/api/v1/namespaces/shop/secrets/db-password', 403,
        'secrets', 'shop', 'db-password', ips=['198.51.100.45'], extra=bob_extra)
    k8s(at(1, 14, 42, 5), 'bob', 'create',
        '/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x4q/exec?command=sh&container=cart'
        '&stdin=true&stdout=true&tty=true', 101, 'pods', 'shop', 'cart-7d9f8b6c5-x2x4q',
        sub='exec', ips=['198.51.100.45'], extra=bob_extra, level='Request')
    k8s(at(1, 14, 47, 51), 'bob', 'create',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 201, 'clusterrolebindings',
        None, 'bob-admin', ips=['198.51.100.45'], extra=bob_extra, level='RequestResponse')
    k8s(at(1, 14, 49, 2), 'bob', 'list', '/api/v1/namespaces/kube-system/secrets', 200,
        'secrets', 'kube-system', ips=['198.51.100.45'], extra=bob_extra)
    k8s(at(1, 14, 49, 40), 'bob', 'get', '/api/v1/namespaces/shop/secrets/db-password', 200,
        'secrets', 'shop', 'db-password', ips=['198.51.100.45'], extra=bob_extra)
    k8s(at(2, 9, 30, 0), 'kubernetes-admin', 'delete',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/bob-admin', 200,
        'clusterrolebindings', None, 'bob-admin', ips=['198.51.100.10'], groups=masters,
        extra=admin_extra)
    k8s(at(2, 9, 31, 0), 'kubernetes-admin', 'create',
        '/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x4q/exec?command=ps&container=cart'
        '&stdout=true', 101, 'pods', 'shop', 'cart-7d9f8b6c5-x2x4q', sub='exec',
        ips=['198.51.100.10'], groups=masters, extra=admin_extra, level='Request')


# ---- findings (ASFF) -------------------------------------------------------------------------

FINDINGS = []


def finding(acct, region, product, fid, gen, types, sev, title, rtype, rid, created, extra=None):
    label = ('INFORMATIONAL' if sev == 0 else 'LOW' if sev < 40 else 'MEDIUM' if sev < 70 else
             'HIGH' if sev < 90 else 'CRITICAL')
    prod_name, company, parn = {
        'GuardDuty': ('GuardDuty', 'Amazon',
                      'arn:aws:securityhub:%s::product/aws/guardduty' % region),
        'Security Hub': ('Security Hub', 'AWS',
                         'arn:aws:securityhub:%s::product/aws/securityhub' % region),
        'Inspector': ('Inspector', 'Amazon',
                      'arn:aws:securityhub:%s::product/aws/inspector' % region),
        'Macie': ('Macie', 'Amazon', 'arn:aws:securityhub:%s::product/aws/macie' % region),
    }[product]
    f = {'SchemaVersion': '2018-10-08', 'Id': fid, 'ProductArn': parn, 'ProductName': prod_name,
         'CompanyName': company, 'Region': region, 'GeneratorId': gen, 'AwsAccountId': acct,
         'Types': types, 'FirstObservedAt': created, 'LastObservedAt': created,
         'CreatedAt': created, 'UpdatedAt': created,
         'Severity': {'Label': label, 'Normalized': sev}, 'Title': title,
         'Description': title + '.',
         'Resources': [{'Type': rtype, 'Id': rid, 'Partition': 'aws', 'Region': region}],
         'Workflow': {'Status': 'NEW'}, 'RecordState': 'ACTIVE'}
    if extra:
        f.update(extra)
    FINDINGS.append(f)


def findings_records():
    gd = 'arn:aws:guardduty:us-east-1:%s:detector/12abc34d567e8fa901bc2d34e56789f0/finding/' % PROD
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a1', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller'], 50,
            'API GetAccountAuthorizationDetails was invoked from a known malicious IP',
            'AwsIamAccessKey', 'AWS::IAM::AccessKey:%s' % KEY_BACKUP, '2024-03-02T02:30:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a2', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['Effects/Data Exfiltration/Exfiltration:S3-AnomalousBehavior'], 80,
            'Anomalous S3 GetObject calls by svc-backup', 'AwsS3Bucket',
            'arn:aws:s3:::prod-customer-data', '2024-03-02T02:50:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a3', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-ConsoleLoginSuccess.B'], 50,
            'Unusual console login by root', 'AwsIamAccessKey',
            'AWS::IAM::AccessKey:%s' % KEY_ROOT_SESSION, '2024-03-03T07:20:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a8', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Persistence/Persistence:IAMUser-AnomalousBehavior'], 50,
            'An access key was created for a new user', 'AwsIamAccessKey',
            'AWS::IAM::AccessKey:AKIATEMPCONTRACT0001', '2024-03-01T09:40:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a4', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Discovery/Recon:EC2-Portscan'], 50, 'Instance i-0abc1230def456789 was probed',
            'AwsEc2Instance', 'arn:aws:ec2:us-east-1:%s:instance/i-0abc1230def456789' % PROD,
            '2024-03-02T01:20:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a5', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS'], 80,
            'Instance i-0abc1230def456790 queried a command and control domain',
            'AwsEc2Instance', 'arn:aws:ec2:us-east-1:%s:instance/i-0abc1230def456790' % PROD,
            '2024-03-02T03:00:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a6', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Impact/CryptoCurrency:EC2-BitcoinTool.B!DNS'], 80,
            'Instance i-0abc1230def456790 queried a cryptocurrency mining domain',
            'AwsEc2Instance', 'arn:aws:ec2:us-east-1:%s:instance/i-0abc1230def456790' % PROD,
            '2024-03-02T05:31:00.000Z')
    finding(PROD, 'us-east-1', 'GuardDuty', gd + 'a7', 'arn:aws:guardduty:us-east-1:%s:detector/'
            '12abc34d567e8fa901bc2d34e56789f0' % PROD,
            ['TTPs/Defense Evasion/Stealth:IAMUser-CloudTrailLoggingDisabled'], 20,
            'CloudTrail logging was stopped by root', 'AwsCloudTrailTrail',
            'arn:aws:cloudtrail:us-east-1:%s:trail/org-trail' % PROD, '2024-03-03T07:16:00.000Z')
    sh = 'arn:aws:securityhub:%s:%s:security-control/%s/finding/%s'
    fsbp = 'Software and Configuration Checks/Industry and Regulatory Standards/' \
           'AWS-Foundational-Security-Best-Practices'
    cis = 'Software and Configuration Checks/Industry and Regulatory Standards/' \
          'CIS AWS Foundations Benchmark'
    for acct, region, ctl, sev, title, rtype, rid, types in [
        (PROD, 'us-east-1', 'IAM.6', 90, 'Hardware MFA should be enabled for the root user',
         'AwsAccount', 'AWS::::Account:%s' % PROD, [cis]),
        (PROD, 'us-east-1', 'S3.8', 70, 'S3 general purpose buckets should block public access',
         'AwsS3Bucket', 'arn:aws:s3:::prod-app-assets', [fsbp]),
        (PROD, 'us-east-1', 'CloudTrail.1', 70, 'CloudTrail should be enabled and configured '
         'with at least one multi-Region trail', 'AwsAccount', 'AWS::::Account:%s' % PROD,
         [fsbp, cis]),
        (DEV, 'us-east-1', 'IAM.6', 90, 'Hardware MFA should be enabled for the root user',
         'AwsAccount', 'AWS::::Account:%s' % DEV, [cis]),
        (DEV, 'eu-west-1', 'EC2.19', 90, 'Security groups should not allow unrestricted access '
         'to ports with high risk', 'AwsEc2SecurityGroup',
         'arn:aws:ec2:eu-west-1:%s:security-group/sg-0dev1234abcd5678e' % DEV, [fsbp]),
        (DEV, 'eu-west-1', 'S3.5', 40, 'S3 general purpose buckets should require requests to '
         'use SSL', 'AwsS3Bucket', 'arn:aws:s3:::dev-eu-data', [fsbp]),
    ]:
        finding(acct, region, 'Security Hub', sh % (region, acct, ctl, guid()),
                'security-control/' + ctl, types, sev, title, rtype, rid,
                '2024-03-01T06:00:00.000Z', extra={
                    'Compliance': {'Status': 'FAILED', 'SecurityControlId': ctl},
                    'ProductFields': {'aws/securityhub/ProductName': 'Security Hub'}})
    finding(PROD, 'us-east-1', 'Inspector',
            'arn:aws:inspector2:us-east-1:%s:finding/%s' % (PROD, hexs(32)), 'AWSInspector',
            ['Software and Configuration Checks/Vulnerabilities/CVE'], 70,
            'CVE-2023-38545 - curl', 'AwsEc2Instance',
            'arn:aws:ec2:us-east-1:%s:instance/i-0abc1230def456789' % PROD,
            '2024-03-01T04:00:00.000Z',
            extra={'Vulnerabilities': [{'Id': 'CVE-2023-38545', 'VulnerablePackages': [
                {'Name': 'curl', 'Version': '8.3.0', 'FixedInVersion': '8.4.0'}],
                'FixAvailable': 'YES'}]})
    finding(DEV, 'eu-west-1', 'Inspector',
            'arn:aws:inspector2:eu-west-1:%s:finding/%s' % (DEV, hexs(32)), 'AWSInspector',
            ['Software and Configuration Checks/Vulnerabilities/CVE'], 40,
            'CVE-2024-2511 - openssl', 'AwsLambdaFunction',
            'arn:aws:lambda:eu-west-1:%s:function:build-hook' % DEV, '2024-03-02T04:00:00.000Z')
    finding(PROD, 'us-east-1', 'Macie',
            'arn:aws:macie2:us-east-1:%s:finding/%s' % (PROD, hexs(32)),
            'arn:aws:macie2:us-east-1:%s:classification-job/%s' % (PROD, hexs(32)),
            ['Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal'], 70,
            'The S3 object contains personal information', 'AwsS3Bucket',
            'arn:aws:s3:::prod-customer-data', '2024-03-01T12:00:00.000Z')


# ---- writing the tree ------------------------------------------------------------------------

def gz_bytes(data):
    b = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=b, mtime=0, compresslevel=9) as g:
        g.write(data)
    return b.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


CT_FILES = []    # (acct, region, 'YYYY/MM/DD', path)
FLOW_FILES = []  # same
DNS_FILES = []


def public(r):
    return {k: v for k, v in r.items() if not k.startswith('_')}


def write_cloudtrail():
    groups = {}
    for r in CT:
        groups.setdefault((r['_acct'], r['_region']), []).append(r)
    for (acct, region), recs in sorted(groups.items()):
        recs.sort(key=lambda r: r['eventTime'])
        # one file per 8 hours of activity, stamped 5 minutes after its last record (so the
        # last file of a day may land in the next day's directory, as AWS delivers it)
        buckets = {}
        for r in recs:
            t = datetime.strptime(r['eventTime'], '%Y-%m-%dT%H:%M:%SZ').replace(
                tzinfo=timezone.utc)
            buckets.setdefault((t.date(), t.hour // 8), []).append(r)
        for key in sorted(buckets):
            part = buckets[key]
            last = max(datetime.strptime(r['eventTime'], '%Y-%m-%dT%H:%M:%SZ') for r in part)
            stamp = last.replace(second=0) + timedelta(minutes=5)
            rng.shuffle(part)  # delivery order is not time order
            d = stamp.strftime('%Y/%m/%d')
            name = '%s_CloudTrail_%s_%s_%s.json.gz' % (
                acct, region, stamp.strftime('%Y%m%dT%H%MZ'),
                ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')
                        for _ in range(16)))
            path = os.path.join(TREE, 'AWSLogs', acct, 'CloudTrail', region, d, name)
            body = json.dumps({'Records': [public(r) for r in part]}, separators=(',', ':'))
            write(path, gz_bytes(body.encode()))
            CT_FILES.append((acct, region, d, path))


def fmt_flow(f):
    keys = ['version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
            'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log_status']
    return ' '.join('-' if f[k] is None else str(f[k]) for k in keys)


def write_flows():
    groups = {}
    for acct, region, day, f in FLOW:
        groups.setdefault((acct, region, day), []).append(f)
    header = ('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets '
              'bytes start end action log-status')
    for (acct, region, day), recs in sorted(groups.items()):
        recs.sort(key=lambda f: (f['start'], f['interface_id']))
        nfiles = 3 if acct == PROD else 1
        for k in range(nfiles):
            part = [f for f in recs if (f['start'] - int(DAYS[day].timestamp())) * nfiles
                    // 86400 == k]
            if not part:
                continue
            stamp = datetime.fromtimestamp(max(f['end'] for f in part), timezone.utc)
            stamp = stamp.replace(second=0) + timedelta(minutes=5)
            stamp = min(stamp, DAYS[day] + timedelta(hours=23, minutes=59))
            d = DAYS[day].strftime('%Y/%m/%d')
            name = '%s_vpcflowlogs_%s_fl-0123456789abcdef%d_%s_%s.log.gz' % (
                acct, region, 0 if acct == PROD else 1, stamp.strftime('%Y%m%dT%H%MZ'), hexs(8))
            path = os.path.join(TREE, 'AWSLogs', acct, 'vpcflowlogs', region, d, name)
            body = header + '\n' + ''.join(fmt_flow(f) + '\n' for f in part)
            write(path, gz_bytes(body.encode()))
            FLOW_FILES.append((acct, region, d, path))


def write_dns():
    for day in range(3):
        recs = sorted((r for d, r in DNS if d == day), key=lambda r: r['query_timestamp'])
        for k in range(2):
            part = [r for r in recs if (int(r['query_timestamp'][11:13]) >= 12) == bool(k)]
            if not part:
                continue
            last = part[-1]['query_timestamp'][:16]
            stamp = datetime.strptime(last, '%Y-%m-%dT%H:%M') + timedelta(minutes=5)
            stamp = min(stamp, DAYS[day].replace(tzinfo=None) + timedelta(hours=23, minutes=59))
            d = DAYS[day].strftime('%Y/%m/%d')
            name = '%s_vpcdnsquerylogs_%s_%s_%s.log.gz' % (VPC, PROD,
                                                           stamp.strftime('%Y%m%dT%H%MZ'), hexs(8))
            path = os.path.join(TREE, 'AWSLogs', PROD, 'vpcdnsquerylogs', VPC, d, name)
            body = ''.join(json.dumps(r, separators=(',', ':')) + '\n' for r in part)
            write(path, gz_bytes(body.encode()))
            DNS_FILES.append((PROD, None, d, path))


def write_k8s():
    for day in range(3):
        recs = sorted((e for d, e in K8S if d == day), key=lambda e: e['stageTimestamp'])
        path = os.path.join(TREE, 'k8s', 'cluster-a', DAYS[day].strftime('%Y-%m-%d') + '.jsonl')
        write(path, ''.join(json.dumps(e, separators=(',', ':')) + '\n' for e in recs).encode())


def write_findings():
    path = os.path.join(TREE, 'findings', 'findings.json')
    write(path, (json.dumps({'Findings': FINDINGS}, indent=1) + '\n').encode())


# ---- the queries and their expected results --------------------------------------------------

def g(d, *path):
    """Case-sensitive member access through nested objects; None when absent."""
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def gi(d, *path):
    """Case-insensitive member access (the Athena struct syntax useridentity.arn)."""
    for p in path:
        if not isinstance(d, dict):
            return None
        m = [k for k in d if k.lower() == p.lower()]
        if not m:
            return None
        d = d[m[0]]
    return d


def scalar(v):
    """json_extract_scalar: a string or number as text, NULL for objects, arrays, null."""
    if v is None or isinstance(v, (dict, list)):
        return None
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


def ts(s):
    return datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ')


def nulls_first(v):
    """Sort key for SQLite's ASC order: NULL first, then integers, then text."""
    if v is None:
        return (0, 0, '')
    if isinstance(v, int):
        return (1, v, '')
    return (2, 0, v)


QUERIES = []


def query(name, sql, modes=('store', 'files')):
    def deco(fn):
        QUERIES.append((name, sql.strip() + '\n', fn, modes))
        return fn
    return deco


def group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out


def count_distinct(vals):
    return len({v for v in vals if v is not None})


def cts():
    return [public(r) for r in CT]


@query('01_ct_events_by_account_region', '''
-- Events per account and region, with the number of distinct APIs called.
SELECT recipientaccountid AS account, awsregion AS region, count(*) AS events,
       count(DISTINCT eventname) AS apis
FROM {cloudtrail}
GROUP BY recipientaccountid, awsregion
ORDER BY account, region
''')
def q01():
    rows = []
    for (a, reg), rs in sorted(group(cts(), lambda r: (r['recipientAccountId'],
                                                       r['awsRegion'])).items()):
        rows.append([a, reg, len(rs), count_distinct(r['eventName'] for r in rs)])
    return ['account', 'region', 'events', 'apis'], rows


@query('02_ct_console_logins_without_mfa', '''
-- Successful console sign-ins without MFA (root included: it has no userName).
SELECT eventtime AS event_time, recipientaccountid AS account,
       json_extract_scalar(useridentity, '$.type') AS identity_type,
       coalesce(json_extract_scalar(useridentity, '$.userName'),
                json_extract_scalar(useridentity, '$.arn')) AS principal,
       sourceipaddress AS source_ip, useragent AS user_agent
FROM {cloudtrail}
WHERE eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
ORDER BY event_time, principal
''')
def q02():
    rows = []
    for r in cts():
        if r['eventName'] == 'ConsoleLogin' and g(r, 'responseElements', 'ConsoleLogin') == \
                'Success' and g(r, 'additionalEventData', 'MFAUsed') == 'No':
            ui = r['userIdentity']
            rows.append([r['eventTime'], r['recipientAccountId'], ui['type'],
                         ui.get('userName') or ui.get('arn'), r['sourceIPAddress'],
                         r['userAgent']])
    rows.sort(key=lambda x: (x[0], x[3]))
    return ['event_time', 'account', 'identity_type', 'principal', 'source_ip',
            'user_agent'], rows


@query('03_ct_failed_console_logins', '''
-- Failed console sign-ins per user name and source address (brute force, password spraying).
SELECT recipientaccountid AS account,
       json_extract_scalar(useridentity, '$.userName') AS user_name,
       sourceipaddress AS source_ip, count(*) AS failures,
       min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM {cloudtrail}
WHERE eventname = 'ConsoleLogin' AND errormessage = 'Failed authentication'
GROUP BY 1, 2, 3
ORDER BY failures DESC, account, user_name, source_ip
''')
def q03():
    sel = [r for r in cts() if r['eventName'] == 'ConsoleLogin' and
           r.get('errorMessage') == 'Failed authentication']
    rows = []
    for (a, u, ip), rs in group(sel, lambda r: (r['recipientAccountId'],
                                                g(r, 'userIdentity', 'userName'),
                                                r['sourceIPAddress'])).items():
        times = [r['eventTime'] for r in rs]
        rows.append([a, u, ip, len(rs), min(times), max(times)])
    rows.sort(key=lambda x: (-x[3], x[0], x[1], x[2]))
    return ['account', 'user_name', 'source_ip', 'failures', 'first_seen', 'last_seen'], rows


@query('04_ct_api_calls_by_ip', '''
-- The busiest source addresses: calls, distinct APIs and errors.
SELECT sourceipaddress AS source_ip, count(*) AS calls,
       approx_distinct(eventname) AS distinct_apis,
       sum(CASE WHEN errorcode IS NOT NULL THEN 1 ELSE 0 END) AS errors
FROM {cloudtrail}
GROUP BY sourceipaddress
ORDER BY calls DESC, source_ip
LIMIT 10
''')
def q04():
    rows = []
    for ip, rs in group(cts(), lambda r: r['sourceIPAddress']).items():
        rows.append([ip, len(rs), count_distinct(r['eventName'] for r in rs),
                     sum(1 for r in rs if r.get('errorCode') is not None)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    return ['source_ip', 'calls', 'distinct_apis', 'errors'], rows[:10]


@query('05_ct_iam_changes_per_principal', '''
-- Successful IAM changes per principal (Athena struct syntax for userIdentity).
SELECT useridentity.arn AS principal, count(*) AS changes,
       count(DISTINCT eventname) AS actions,
       min(eventtime) AS first_change, max(eventtime) AS last_change
FROM {cloudtrail}
WHERE eventsource = 'iam.amazonaws.com' AND readonly = 0 AND errorcode IS NULL
GROUP BY 1
ORDER BY changes DESC, principal
''')
def q05():
    sel = [r for r in cts() if r['eventSource'] == 'iam.amazonaws.com' and not r['readOnly']
           and r.get('errorCode') is None]
    rows = []
    for p, rs in group(sel, lambda r: gi(r['userIdentity'], 'arn')).items():
        times = [r['eventTime'] for r in rs]
        rows.append([p, len(rs), count_distinct(r['eventName'] for r in rs), min(times),
                     max(times)])
    rows.sort(key=lambda x: (-x[1], nulls_first(x[0])))
    return ['principal', 'changes', 'actions', 'first_change', 'last_change'], rows


@query('06_ct_iam_change_log', '''
-- Every IAM write, with its target and policy, failed or not.
SELECT eventtime AS event_time, recipientaccountid AS account,
       json_extract_scalar(useridentity, '$.arn') AS principal, eventname AS api,
       coalesce(json_extract_scalar(requestparameters, '$.userName'),
                json_extract_scalar(requestparameters, '$.roleName')) AS target,
       coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
                json_extract_scalar(requestparameters, '$.policyName')) AS policy,
       errorcode AS error
FROM {cloudtrail}
WHERE eventsource = 'iam.amazonaws.com' AND readonly = 0
ORDER BY event_time, api, account
''')
def q06():
    rows = []
    for r in cts():
        if r['eventSource'] != 'iam.amazonaws.com' or r['readOnly']:
            continue
        rp = r['requestParameters']
        rows.append([r['eventTime'], r['recipientAccountId'], g(r, 'userIdentity', 'arn'),
                     r['eventName'],
                     scalar(g(rp, 'userName')) or scalar(g(rp, 'roleName')),
                     scalar(g(rp, 'policyArn')) or scalar(g(rp, 'policyName')),
                     r.get('errorCode')])
    rows.sort(key=lambda x: (x[0], x[3], x[1]))
    return ['event_time', 'account', 'principal', 'api', 'target', 'policy', 'error'], rows


@query('07_ct_access_denied', '''
-- Denied calls per principal and API: reconnaissance with a stolen key shows here.
SELECT useridentity.arn AS principal, eventsource AS service, eventname AS api,
       errorcode AS error, count(*) AS attempts
FROM {cloudtrail}
WHERE errorcode IN ('AccessDenied', 'Client.UnauthorizedOperation')
GROUP BY 1, 2, 3, 4
ORDER BY attempts DESC, principal, service, api
''')
def q07():
    sel = [r for r in cts() if r.get('errorCode') in ('AccessDenied',
                                                       'Client.UnauthorizedOperation')]
    rows = []
    for k, rs in group(sel, lambda r: (gi(r['userIdentity'], 'arn'), r['eventSource'],
                                       r['eventName'], r['errorCode'])).items():
        rows.append(list(k) + [len(rs)])
    rows.sort(key=lambda x: (-x[4], x[0], x[1], x[2]))
    return ['principal', 'service', 'api', 'error', 'attempts'], rows


@query('08_ct_s3_data_events_per_bucket', '''
-- S3 data events per bucket and operation.
SELECT json_extract_scalar(requestparameters, '$.bucketName') AS bucket, eventname AS api,
       count(*) AS events, count(DISTINCT useridentity.arn) AS principals,
       sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) AS denied
FROM {cloudtrail}
WHERE eventcategory = 'Data' AND eventsource = 's3.amazonaws.com'
GROUP BY 1, 2
ORDER BY bucket, api
''')
def q08():
    sel = [r for r in cts() if r['eventCategory'] == 'Data' and
           r['eventSource'] == 's3.amazonaws.com']
    rows = []
    for (b, api), rs in sorted(group(sel, lambda r: (r['requestParameters']['bucketName'],
                                                     r['eventName'])).items()):
        rows.append([b, api, len(rs), count_distinct(gi(r['userIdentity'], 'arn') for r in rs),
                     sum(1 for r in rs if r.get('errorCode'))])
    return ['bucket', 'api', 'events', 'principals', 'denied'], rows


@query('09_ct_s3_bytes_out', '''
-- Who downloaded how much from which bucket (bytesTransferredOut of GetObject).
SELECT useridentity.arn AS principal, sourceipaddress AS source_ip,
       json_extract_scalar(requestparameters, '$.bucketName') AS bucket, count(*) AS gets,
       sum(CAST(json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS BIGINT))
           AS bytes_out
FROM {cloudtrail}
WHERE eventname = 'GetObject' AND errorcode IS NULL
GROUP BY 1, 2, 3
ORDER BY bytes_out DESC, principal, source_ip, bucket
''')
def q09():
    sel = [r for r in cts() if r['eventName'] == 'GetObject' and r.get('errorCode') is None]
    rows = []
    for k, rs in group(sel, lambda r: (gi(r['userIdentity'], 'arn'), r['sourceIPAddress'],
                                       r['requestParameters']['bucketName'])).items():
        rows.append(list(k) + [len(rs), sum(r['additionalEventData']['bytesTransferredOut']
                                            for r in rs)])
    rows.sort(key=lambda x: (-x[4], x[0], x[1], x[2]))
    return ['principal', 'source_ip', 'bucket', 'gets', 'bytes_out'], rows


@query('10_ct_resources_unnest', '''
-- Data events per bucket through resources[] (UNNEST written as json_each).
SELECT json_extract_scalar(r.value, '$.ARN') AS bucket_arn,
       json_extract_scalar(r.value, '$.accountId') AS owner, count(*) AS events,
       count(DISTINCT c.eventname) AS apis, count(DISTINCT c.recipientaccountid) AS recipients
FROM {cloudtrail} AS c, json_each(c.resources) AS r
WHERE json_extract_scalar(r.value, '$.type') = 'AWS::S3::Bucket' AND c.eventcategory = 'Data'
GROUP BY 1, 2
ORDER BY events DESC, bucket_arn
''')
def q10():
    pairs = []
    for r in cts():
        if r['eventCategory'] != 'Data':
            continue
        for res in r.get('resources') or []:
            if res.get('type') == 'AWS::S3::Bucket':
                pairs.append((r, res))
    rows = []
    for (arn, owner), ps in group(pairs, lambda p: (p[1]['ARN'], p[1].get('accountId'))).items():
        rows.append([arn, owner, len(ps), count_distinct(p[0]['eventName'] for p in ps),
                     count_distinct(p[0]['recipientAccountId'] for p in ps)])
    rows.sort(key=lambda x: (-x[2], x[0]))
    return ['bucket_arn', 'owner', 'events', 'apis', 'recipients'], rows


@query('11_ct_root_activity', '''
-- Everything the root user did.
SELECT eventtime AS event_time, recipientaccountid AS account, eventname AS api,
       sourceipaddress AS source_ip, useridentity.sessioncontext.attributes.mfaauthenticated
           AS session_mfa, errorcode AS error
FROM {cloudtrail}
WHERE useridentity.type = 'Root'
ORDER BY event_time, api
''')
def q11():
    rows = []
    for r in cts():
        ui = r['userIdentity']
        if gi(ui, 'type') == 'Root':
            rows.append([r['eventTime'], r['recipientAccountId'], r['eventName'],
                         r['sourceIPAddress'],
                         scalar(gi(ui, 'sessioncontext', 'attributes', 'mfaauthenticated')),
                         r.get('errorCode')])
    rows.sort(key=lambda x: (x[0], x[2]))
    return ['event_time', 'account', 'api', 'source_ip', 'session_mfa', 'error'], rows


@query('12_ct_user_agent_families', '''
-- Calls per client family (the user agent up to its first '/').
SELECT split_part(useragent, '/', 1) AS agent, count(*) AS calls,
       count(DISTINCT sourceipaddress) AS source_ips
FROM {cloudtrail}
GROUP BY 1
ORDER BY calls DESC, agent
''')
def q12():
    rows = []
    for a, rs in group(cts(), lambda r: r['userAgent'].split('/')[0]).items():
        rows.append([a, len(rs), count_distinct(r['sourceIPAddress'] for r in rs)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    return ['agent', 'calls', 'source_ips'], rows


@query('13_ct_keys_from_many_ips', '''
-- Long-term access keys used from more than one address.
SELECT useridentity.accesskeyid AS access_key, useridentity.username AS user_name,
       count(DISTINCT sourceipaddress) AS source_ips, count(*) AS calls,
       min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM {cloudtrail}
WHERE useridentity.accesskeyid LIKE 'AKIA%'
GROUP BY 1, 2
HAVING count(DISTINCT sourceipaddress) > 1
ORDER BY source_ips DESC, access_key
''')
def q13():
    sel = [r for r in cts() if (gi(r['userIdentity'], 'accesskeyid') or '').startswith('AKIA')]
    rows = []
    for (k, u), rs in group(sel, lambda r: (gi(r['userIdentity'], 'accesskeyid'),
                                            gi(r['userIdentity'], 'username'))).items():
        n = count_distinct(r['sourceIPAddress'] for r in rs)
        if n > 1:
            times = [r['eventTime'] for r in rs]
            rows.append([k, u, n, len(rs), min(times), max(times)])
    rows.sort(key=lambda x: (-x[2], x[0]))
    return ['access_key', 'user_name', 'source_ips', 'calls', 'first_seen', 'last_seen'], rows


@query('14_ct_sessions_without_mfa', '''
-- Calls made with session credentials issued without MFA, and how many of them wrote.
SELECT useridentity.type AS identity_type, useridentity.arn AS principal, count(*) AS calls,
       sum(CASE WHEN readonly = 0 THEN 1 ELSE 0 END) AS writes
FROM {cloudtrail}
WHERE useridentity.sessioncontext.attributes.mfaauthenticated = 'false'
GROUP BY 1, 2
ORDER BY calls DESC, principal
''')
def q14():
    sel = [r for r in cts() if gi(r['userIdentity'], 'sessioncontext', 'attributes',
                                  'mfaauthenticated') == 'false']
    rows = []
    for (t, p), rs in group(sel, lambda r: (gi(r['userIdentity'], 'type'),
                                            gi(r['userIdentity'], 'arn'))).items():
        rows.append([t, p, len(rs), sum(1 for r in rs if not r['readOnly'])])
    rows.sort(key=lambda x: (-x[2], x[1]))
    return ['identity_type', 'principal', 'calls', 'writes'], rows


EVASION = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteFlowLogs',
           'DeleteDetector', 'DisableSecurityHub', 'DeleteConfigurationRecorder',
           'StopConfigurationRecorder']


@query('15_ct_defense_evasion', '''
-- Attempts to blind the defenders: trails, flow logs, detectors, recorders.
SELECT eventtime AS event_time, recipientaccountid AS account, awsregion AS region,
       useridentity.arn AS principal, eventname AS api, errorcode AS error
FROM {cloudtrail}
WHERE eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors',
                    'DeleteFlowLogs', 'DeleteDetector', 'DisableSecurityHub',
                    'DeleteConfigurationRecorder', 'StopConfigurationRecorder')
ORDER BY event_time, api
''')
def q15():
    rows = []
    for r in cts():
        if r['eventName'] in EVASION:
            rows.append([r['eventTime'], r['recipientAccountId'], r['awsRegion'],
                         gi(r['userIdentity'], 'arn'), r['eventName'], r.get('errorCode')])
    rows.sort(key=lambda x: (x[0], x[4]))
    return ['event_time', 'account', 'region', 'principal', 'api', 'error'], rows


@query('16_ct_iam_change_after_login', '''
-- IAM changes made within an hour of a console sign-in by the same principal (a self-join).
SELECT l.eventtime AS login_time, json_extract_scalar(l.useridentity, '$.userName') AS user_name,
       l.sourceipaddress AS login_ip, c.eventtime AS change_time, c.eventname AS api,
       date_diff('minute', from_iso8601_timestamp(l.eventtime),
                 from_iso8601_timestamp(c.eventtime)) AS minutes_after
FROM {cloudtrail} AS l
JOIN {cloudtrail} AS c
  ON json_extract_scalar(c.useridentity, '$.arn') = json_extract_scalar(l.useridentity, '$.arn')
WHERE l.eventname = 'ConsoleLogin'
  AND json_extract_scalar(l.responseelements, '$.ConsoleLogin') = 'Success'
  AND c.eventsource = 'iam.amazonaws.com' AND c.readonly = 0
  AND c.eventtime >= l.eventtime
  AND date_diff('minute', from_iso8601_timestamp(l.eventtime),
                from_iso8601_timestamp(c.eventtime)) < 60
ORDER BY login_time, change_time, api
''')
def q16():
    rs = cts()
    rows = []
    for lg in rs:
        if lg['eventName'] != 'ConsoleLogin' or g(lg, 'responseElements', 'ConsoleLogin') != \
                'Success':
            continue
        arn = g(lg, 'userIdentity', 'arn')
        for c in rs:
            if arn is None or g(c, 'userIdentity', 'arn') != arn:
                continue
            if c['eventSource'] != 'iam.amazonaws.com' or c['readOnly']:
                continue
            if c['eventTime'] < lg['eventTime']:
                continue
            mins = int((ts(c['eventTime']) - ts(lg['eventTime'])).total_seconds() // 60)
            if mins < 60:
                rows.append([lg['eventTime'], g(lg, 'userIdentity', 'userName'),
                             lg['sourceIPAddress'], c['eventTime'], c['eventName'], mins])
    rows.sort(key=lambda x: (x[0], x[3], x[4]))
    return ['login_time', 'user_name', 'login_ip', 'change_time', 'api', 'minutes_after'], rows


POLICY_RE = r'^(Attach|Detach|Put|Delete|Create)(User|Role|Group)?Policy(Version)?$'


@query('17_ct_policy_changes', '''
-- Policy changes per account, matched with a regular expression.
SELECT recipientaccountid AS account, eventname AS api, count(*) AS events,
       sum(CASE WHEN errorcode IS NULL THEN 1 ELSE 0 END) AS succeeded
FROM {cloudtrail}
WHERE regexp_like(eventname, '^(Attach|Detach|Put|Delete|Create)(User|Role|Group)?Policy(Version)?$')
GROUP BY 1, 2
ORDER BY account, api
''')
def q17():
    sel = [r for r in cts() if re.search(POLICY_RE, r['eventName'])]
    rows = []
    for (a, api), rs in sorted(group(sel, lambda r: (r['recipientAccountId'],
                                                     r['eventName'])).items()):
        rows.append([a, api, len(rs), sum(1 for r in rs if r.get('errorCode') is None)])
    return ['account', 'api', 'events', 'succeeded'], rows


@query('18_ct_events_per_day', '''
-- Daily volume by event category, with errors.
SELECT substr(eventtime, 1, 10) AS day, eventcategory AS category, count(*) AS events,
       sum(CASE WHEN errorcode IS NOT NULL OR errormessage IS NOT NULL THEN 1 ELSE 0 END)
           AS failed
FROM {cloudtrail}
GROUP BY 1, 2
ORDER BY day, category
''')
def q18():
    rows = []
    for (d, c), rs in sorted(group(cts(), lambda r: (r['eventTime'][:10],
                                                     r['eventCategory'])).items()):
        rows.append([d, c, len(rs), sum(1 for r in rs if r.get('errorCode') is not None or
                                        r.get('errorMessage') is not None)])
    return ['day', 'category', 'events', 'failed'], rows


def rp_principal(ui):
    for k in ('arn', 'invokedBy', 'principalId'):
        v = ui.get(k)
        if isinstance(v, str) and v:
            return v
    return None


def rp_user_name(ui):
    t = ui.get('type')
    if t == 'Root':
        return 'root'
    if t in ('AssumedRole', 'FederatedUser'):
        pid = ui.get('principalId') or ''
        if ':' in pid and pid.index(':') + 1 < len(pid):
            return pid[pid.index(':') + 1:]
        arn = ui.get('arn') or ''
        if arn and arn.rsplit('/', 1)[-1]:
            return arn.rsplit('/', 1)[-1]
    if ui.get('userName'):
        return ui['userName']
    if t == 'AWSService':
        return ui.get('invokedBy') or None
    return None


@query('19_ct_normalized_principals', '''
-- Rampart's normalized columns: activity per principal (ARN, else calling service).
SELECT rp_principal AS principal, rp_user_name AS user_name, rp_account AS account,
       count(*) AS events, count(DISTINCT rp_region) AS regions,
       count(DISTINCT rp_src_ip) AS addresses
FROM {cloudtrail}
GROUP BY 1, 2, 3
ORDER BY events DESC, principal, user_name, account
LIMIT 12
''')
def q19():
    rows = []
    for (p, u, a), rs in group(cts(), lambda r: (rp_principal(r['userIdentity']),
                                                 rp_user_name(r['userIdentity']),
                                                 r['recipientAccountId'])).items():
        ips = [r['sourceIPAddress'] for r in rs if r['sourceIPAddress'][0].isdigit()]
        rows.append([p, u, a, len(rs), count_distinct(r['awsRegion'] for r in rs),
                     count_distinct(ips)])
    rows.sort(key=lambda x: (-x[3], nulls_first(x[0]), nulls_first(x[1]), x[2]))
    return ['principal', 'user_name', 'account', 'events', 'regions', 'addresses'], rows[:12]


@query('20_ct_cross_account', '''
-- Calls received by one account from a principal of another.
SELECT useridentity.accountid AS caller_account, recipientaccountid AS account,
       useridentity.arn AS principal, eventname AS api, count(*) AS events
FROM {cloudtrail}
WHERE useridentity.accountid <> recipientaccountid
GROUP BY 1, 2, 3, 4
ORDER BY caller_account, account, principal, api
''')
def q20():
    sel = [r for r in cts() if gi(r['userIdentity'], 'accountid') is not None and
           gi(r['userIdentity'], 'accountid') != r['recipientAccountId']]
    rows = []
    for k, rs in sorted(group(sel, lambda r: (gi(r['userIdentity'], 'accountid'),
                                              r['recipientAccountId'],
                                              gi(r['userIdentity'], 'arn'),
                                              r['eventName'])).items()):
        rows.append(list(k) + [len(rs)])
    return ['caller_account', 'account', 'principal', 'api', 'events'], rows


def flows():
    return [f for _, _, _, f in FLOW]


@query('21_vpc_top_talkers', '''
-- Top talkers: accepted bytes per source and destination.
SELECT srcaddr AS src, dstaddr AS dst, sum(bytes) AS total_bytes, sum(packets) AS total_packets,
       count(*) AS records
FROM {vpcflow}
WHERE action = 'ACCEPT'
GROUP BY srcaddr, dstaddr
ORDER BY total_bytes DESC, src, dst
LIMIT 10
''')
def q21():
    sel = [f for f in flows() if f['action'] == 'ACCEPT']
    rows = []
    for (s, d), fs in group(sel, lambda f: (f['srcaddr'], f['dstaddr'])).items():
        rows.append([s, d, sum(f['bytes'] for f in fs), sum(f['packets'] for f in fs), len(fs)])
    rows.sort(key=lambda x: (-x[2], x[0], x[1]))
    return ['src', 'dst', 'total_bytes', 'total_packets', 'records'], rows[:10]


@query('22_vpc_rejected_by_port', '''
-- Rejected flows by destination port and protocol.
SELECT dstport AS port, protocol AS proto, count(*) AS rejects,
       count(DISTINCT srcaddr) AS sources
FROM {vpcflow}
WHERE action = 'REJECT'
GROUP BY dstport, protocol
ORDER BY rejects DESC, port, proto
''')
def q22():
    sel = [f for f in flows() if f['action'] == 'REJECT']
    rows = []
    for (p, pr), fs in group(sel, lambda f: (f['dstport'], f['protocol'])).items():
        rows.append([p, pr, len(fs), count_distinct(f['srcaddr'] for f in fs)])
    rows.sort(key=lambda x: (-x[2], x[0], x[1]))
    return ['port', 'proto', 'rejects', 'sources'], rows


@query('23_vpc_port_scanners', '''
-- Sources rejected on five ports or more: scanners.
SELECT srcaddr AS src, count(DISTINCT dstport) AS ports, count(*) AS rejects,
       count(DISTINCT dstaddr) AS targets, min(start) AS first_start, max("end") AS last_end
FROM {vpcflow}
WHERE action = 'REJECT'
GROUP BY srcaddr
HAVING count(DISTINCT dstport) >= 5
ORDER BY ports DESC, src
''')
def q23():
    sel = [f for f in flows() if f['action'] == 'REJECT']
    rows = []
    for s, fs in group(sel, lambda f: f['srcaddr']).items():
        n = count_distinct(f['dstport'] for f in fs)
        if n >= 5:
            rows.append([s, n, len(fs), count_distinct(f['dstaddr'] for f in fs),
                         min(f['start'] for f in fs), max(f['end'] for f in fs)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    return ['src', 'ports', 'rejects', 'targets', 'first_start', 'last_end'], rows


@query('24_vpc_traffic_per_day', '''
-- Records and bytes per day, action and log status (NODATA records have no action).
SELECT date(start, 'unixepoch') AS day, action AS action, log_status AS status,
       count(*) AS records, sum(bytes) AS total_bytes
FROM {vpcflow}
GROUP BY 1, 2, 3
ORDER BY day, action, status
''')
def q24():
    rows = []
    for (d, a, s), fs in group(flows(), lambda f: (
            datetime.fromtimestamp(f['start'], timezone.utc).strftime('%Y-%m-%d'), f['action'],
            f['log_status'])).items():
        b = [f['bytes'] for f in fs if f['bytes'] is not None]
        rows.append([d, a, s, len(fs), sum(b) if b else None])
    rows.sort(key=lambda x: (x[0], nulls_first(x[1]), x[2]))
    return ['day', 'action', 'status', 'records', 'total_bytes'], rows


@query('25_vpc_nodata_interfaces', '''
-- Interfaces that reported intervals without traffic.
SELECT account_id AS account, interface_id AS eni, count(*) AS nodata_records,
       min(start) AS first_start
FROM {vpcflow}
WHERE log_status = 'NODATA'
GROUP BY 1, 2
ORDER BY account, eni
''')
def q25():
    sel = [f for f in flows() if f['log_status'] == 'NODATA']
    rows = []
    for (a, e), fs in sorted(group(sel, lambda f: (f['account_id'],
                                                   f['interface_id'])).items()):
        rows.append([a, e, len(fs), min(f['start'] for f in fs)])
    return ['account', 'eni', 'nodata_records', 'first_start'], rows


@query('26_vpc_admin_ports_from_outside', '''
-- SSH, RDP and telnet attempts from outside the VPCs, accepted or not.
SELECT srcaddr AS src, dstport AS port, action AS action, count(*) AS records,
       count(DISTINCT interface_id) AS interfaces
FROM {vpcflow}
WHERE dstport IN (22, 23, 3389)
  AND srcaddr NOT LIKE '10.%' AND srcaddr NOT LIKE '172.31.%'
GROUP BY 1, 2, 3
ORDER BY records DESC, src, port, action
''')
def q26():
    sel = [f for f in flows() if f['dstport'] in (22, 23, 3389) and
           not f['srcaddr'].startswith(('10.', '172.31.'))]
    rows = []
    for (s, p, a), fs in group(sel, lambda f: (f['srcaddr'], f['dstport'], f['action'])).items():
        rows.append([s, p, a, len(fs), count_distinct(f['interface_id'] for f in fs)])
    rows.sort(key=lambda x: (-x[3], x[0], x[1], x[2]))
    return ['src', 'port', 'action', 'records', 'interfaces'], rows


@query('27_vpc_flows_to_denied_callers', '''
-- Flows to and from addresses that CloudTrail saw denied: two sources joined.
SELECT f.srcaddr AS src, f.dstaddr AS dst, count(*) AS records,
       count(DISTINCT f.dstport) AS dst_ports, sum(f.bytes) AS total_bytes
FROM {vpcflow} AS f
WHERE f.dstaddr IN (SELECT sourceipaddress FROM {cloudtrail} WHERE errorcode = 'AccessDenied')
   OR f.srcaddr IN (SELECT sourceipaddress FROM {cloudtrail} WHERE errorcode = 'AccessDenied')
GROUP BY 1, 2
ORDER BY total_bytes DESC, src, dst
''')
def q27():
    denied = {r['sourceIPAddress'] for r in cts() if r.get('errorCode') == 'AccessDenied'}
    sel = [f for f in flows() if f['dstaddr'] in denied or f['srcaddr'] in denied]
    rows = []
    for (s, d), fs in group(sel, lambda f: (f['srcaddr'], f['dstaddr'])).items():
        rows.append([s, d, len(fs), count_distinct(f['dstport'] for f in fs),
                     sum(f['bytes'] for f in fs)])
    rows.sort(key=lambda x: (-x[4], x[0], x[1]))
    return ['src', 'dst', 'records', 'dst_ports', 'total_bytes'], rows


def dnss():
    return [r for _, r in DNS]


@query('28_dns_top_domains', '''
-- The most queried names (case and trailing dot folded).
SELECT lower(rtrim(query_name, '.')) AS domain, count(*) AS queries,
       count(DISTINCT srcaddr) AS clients
FROM {r53}
GROUP BY 1
ORDER BY queries DESC, domain
LIMIT 10
''')
def q28():
    rows = []
    for d, rs in group(dnss(), lambda r: r['query_name'].rstrip('.').lower()).items():
        rows.append([d, len(rs), count_distinct(r['srcaddr'] for r in rs)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    return ['domain', 'queries', 'clients'], rows[:10]


@query('29_dns_nxdomain_by_client', '''
-- NXDOMAIN answers per client instance (generated domain names show here).
SELECT srcaddr AS client, json_extract_scalar(srcids, '$.instance') AS instance,
       count(*) AS nxdomains, count(DISTINCT query_name) AS names
FROM {r53}
WHERE rcode = 'NXDOMAIN'
GROUP BY 1, 2
ORDER BY nxdomains DESC, client
''')
def q29():
    sel = [r for r in dnss() if r['rcode'] == 'NXDOMAIN']
    rows = []
    for (c, i), rs in group(sel, lambda r: (r['srcaddr'], r['srcids']['instance'])).items():
        rows.append([c, i, len(rs), count_distinct(r['query_name'] for r in rs)])
    rows.sort(key=lambda x: (-x[2], x[0]))
    return ['client', 'instance', 'nxdomains', 'names'], rows


@query('30_dns_firewall_matches', '''
-- Queries that matched a DNS Firewall rule.
SELECT query_timestamp AS query_time, srcaddr AS client, query_name AS name,
       firewall_rule_action AS action, rcode AS rcode, transport AS transport,
       firewall_domain_list_id AS domain_list
FROM {r53}
WHERE firewall_rule_action IS NOT NULL
ORDER BY query_time, client
''')
def q30():
    rows = [[r['query_timestamp'], r['srcaddr'], r['query_name'], r['firewall_rule_action'],
             r['rcode'], r['transport'], r['firewall_domain_list_id']]
            for r in dnss() if r.get('firewall_rule_action')]
    rows.sort(key=lambda x: (x[0], x[1]))
    return ['query_time', 'client', 'name', 'action', 'rcode', 'transport', 'domain_list'], rows


@query('31_dns_resolved_then_contacted', '''
-- Clients that resolved a suspicious name and then sent traffic to its address
-- (answers[] unnested with json_each, joined with flow logs).
SELECT d.client AS client, d.domain AS domain, f.dstaddr AS address, f.dstport AS port,
       count(*) AS records, sum(f.bytes) AS bytes_out
FROM (SELECT DISTINCT q.srcaddr AS client, lower(rtrim(q.query_name, '.')) AS domain,
             json_extract_scalar(a.value, '$.Rdata') AS ip
      FROM {r53} AS q, json_each(q.answers) AS a
      WHERE json_extract_scalar(a.value, '$.Type') = 'A'
        AND q.query_name LIKE '%.bad-domain.example.') AS d
JOIN {vpcflow} AS f ON f.srcaddr = d.client AND f.dstaddr = d.ip
GROUP BY 1, 2, 3, 4
ORDER BY bytes_out DESC, client, domain, address, port
''')
def q31():
    pairs = set()
    for r in dnss():
        if not r['query_name'].endswith('.bad-domain.example.'):
            continue
        for a in r['answers']:
            if a['Type'] == 'A':
                pairs.add((r['srcaddr'], r['query_name'].rstrip('.').lower(), a['Rdata']))
    joined = [(c, d, f) for c, d, ip in pairs for f in flows()
              if f['srcaddr'] == c and f['dstaddr'] == ip]
    rows = []
    for (c, d, a, p), js in group(joined, lambda j: (j[0], j[1], j[2]['dstaddr'],
                                                     j[2]['dstport'])).items():
        rows.append([c, d, a, p, len(js), sum(j[2]['bytes'] for j in js)])
    rows.sort(key=lambda x: (-x[5], x[0], x[1], x[2], x[3]))
    return ['client', 'domain', 'address', 'port', 'records', 'bytes_out'], rows


def k8ss():
    return [e for _, e in K8S]


@query('32_k8s_forbidden', '''
-- Requests the API server refused (403), per user, verb and resource.
SELECT json_extract_scalar("user", '$.username') AS k8s_user, verb AS verb,
       json_extract_scalar(objectref, '$.resource') AS resource,
       json_extract_scalar(sourceips, '$[0]') AS source_ip, count(*) AS denied
FROM {k8s}
WHERE CAST(json_extract_scalar(responsestatus, '$.code') AS INTEGER) = 403
GROUP BY 1, 2, 3, 4
ORDER BY denied DESC, k8s_user, verb, resource
''')
def q32():
    sel = [e for e in k8ss() if e['responseStatus']['code'] == 403]
    rows = []
    for k, es in group(sel, lambda e: (e['user']['username'], e['verb'],
                                       g(e, 'objectRef', 'resource'),
                                       e['sourceIPs'][0])).items():
        rows.append(list(k) + [len(es)])
    rows.sort(key=lambda x: (-x[4], x[0], x[1], nulls_first(x[2])))
    return ['k8s_user', 'verb', 'resource', 'source_ip', 'denied'], rows


@query('33_k8s_secret_access', '''
-- Who touched secrets, where, and how often it was allowed.
SELECT json_extract_scalar("user", '$.username') AS k8s_user,
       json_extract_scalar(objectref, '$.namespace') AS ns, verb AS verb, count(*) AS requests,
       sum(CASE WHEN CAST(json_extract_scalar(responsestatus, '$.code') AS INTEGER) < 300
           THEN 1 ELSE 0 END) AS allowed
FROM {k8s}
WHERE json_extract_scalar(objectref, '$.resource') = 'secrets'
GROUP BY 1, 2, 3
ORDER BY k8s_user, ns, verb
''')
def q33():
    sel = [e for e in k8ss() if g(e, 'objectRef', 'resource') == 'secrets']
    rows = []
    for k, es in sorted(group(sel, lambda e: (e['user']['username'],
                                              g(e, 'objectRef', 'namespace'),
                                              e['verb'])).items()):
        rows.append(list(k) + [len(es), sum(1 for e in es if e['responseStatus']['code'] < 300)])
    return ['k8s_user', 'ns', 'verb', 'requests', 'allowed'], rows


@query('34_k8s_exec_and_rbac', '''
-- exec into pods and RBAC binding changes, in order.
SELECT stagetimestamp AS stage_time, json_extract_scalar("user", '$.username') AS k8s_user,
       verb AS verb, json_extract_scalar(objectref, '$.resource') AS resource,
       json_extract_scalar(objectref, '$.subresource') AS subresource,
       json_extract_scalar(objectref, '$.name') AS name,
       json_extract_scalar(responsestatus, '$.code') AS code
FROM {k8s}
WHERE json_extract_scalar(objectref, '$.subresource') = 'exec'
   OR json_extract_scalar(objectref, '$.resource') IN ('clusterrolebindings', 'rolebindings')
ORDER BY stage_time
''')
def q34():
    rows = []
    for e in k8ss():
        o = e.get('objectRef') or {}
        if o.get('subresource') == 'exec' or o.get('resource') in ('clusterrolebindings',
                                                                   'rolebindings'):
            rows.append([e['stageTimestamp'], e['user']['username'], e['verb'], o.get('resource'),
                         o.get('subresource'), o.get('name'), e['responseStatus']['code']])
    rows.sort(key=lambda x: x[0])
    return ['stage_time', 'k8s_user', 'verb', 'resource', 'subresource', 'name', 'code'], rows


@query('35_k8s_users_and_sources', '''
-- Requests per user and client address, with the verbs used.
SELECT json_extract_scalar("user", '$.username') AS k8s_user,
       json_extract_scalar(sourceips, '$[0]') AS source_ip, count(*) AS requests,
       count(DISTINCT verb) AS verbs,
       cardinality(json_extract("user", '$.groups')) AS groups_n
FROM {k8s}
GROUP BY 1, 2, 5
ORDER BY requests DESC, k8s_user, source_ip
''')
def q35():
    rows = []
    for (u, ip, n), es in group(k8ss(), lambda e: (e['user']['username'], e['sourceIPs'][0],
                                                   len(e['user']['groups']))).items():
        rows.append([u, ip, len(es), count_distinct(e['verb'] for e in es), n])
    rows.sort(key=lambda x: (-x[2], x[0], x[1]))
    return ['k8s_user', 'source_ip', 'requests', 'verbs', 'groups_n'], rows


@query('36_k8s_cluster_admins', '''
-- Requests made with system:masters rights (contains() over the groups array).
SELECT json_extract_scalar("user", '$.username') AS k8s_user, verb AS verb, count(*) AS requests
FROM {k8s}
WHERE contains(json_extract("user", '$.groups'), 'system:masters')
GROUP BY 1, 2
ORDER BY k8s_user, verb
''')
def q36():
    sel = [e for e in k8ss() if 'system:masters' in e['user']['groups']]
    rows = []
    for k, es in sorted(group(sel, lambda e: (e['user']['username'], e['verb'])).items()):
        rows.append(list(k) + [len(es)])
    return ['k8s_user', 'verb', 'requests'], rows


SEV_RANK = {'CRITICAL': 5, 'HIGH': 4, 'MEDIUM': 3, 'LOW': 2, 'INFORMATIONAL': 1}


def sev_label(f):
    return f['Severity']['Label']


@query('37_findings_by_type', '''
-- Findings by type (the first of Types) and severity.
SELECT type0 AS finding_type, severity_label AS severity, count(*) AS findings
FROM findings
GROUP BY 1, 2
ORDER BY findings DESC, finding_type, severity
''', modes=('store',))
def q37():
    rows = []
    for (t, s), fs in group(FINDINGS, lambda f: (f['Types'][0], sev_label(f))).items():
        rows.append([t, s, len(fs)])
    rows.sort(key=lambda x: (-x[2], x[0], x[1]))
    return ['finding_type', 'severity', 'findings'], rows


@query('38_findings_by_account_severity', '''
-- Active findings per account and product, counted by severity.
SELECT aws_account_id AS account, product_name AS product,
       sum(CASE WHEN severity_label = 'CRITICAL' THEN 1 ELSE 0 END) AS critical,
       sum(CASE WHEN severity_label = 'HIGH' THEN 1 ELSE 0 END) AS high,
       sum(CASE WHEN severity_label = 'MEDIUM' THEN 1 ELSE 0 END) AS medium,
       sum(CASE WHEN severity_label IN ('LOW', 'INFORMATIONAL') THEN 1 ELSE 0 END) AS low
FROM findings
WHERE record_state = 'ACTIVE' AND workflow_status <> 'SUPPRESSED'
GROUP BY 1, 2
ORDER BY account, product
''', modes=('store',))
def q38():
    rows = []
    for (a, p), fs in sorted(group(FINDINGS, lambda f: (f['AwsAccountId'],
                                                        f['ProductName'])).items()):
        c = [sev_label(f) for f in fs]
        rows.append([a, p, c.count('CRITICAL'), c.count('HIGH'), c.count('MEDIUM'),
                     c.count('LOW') + c.count('INFORMATIONAL')])
    return ['account', 'product', 'critical', 'high', 'medium', 'low'], rows


@query('39_findings_hot_resources', '''
-- Resources with more than one finding, worst first.
SELECT resource_type AS resource_type, resource_id AS resource, count(*) AS findings,
       max(severity_normalized) AS max_severity
FROM findings
GROUP BY 1, 2
HAVING count(*) > 1
ORDER BY max_severity DESC, findings DESC, resource
''', modes=('store',))
def q39():
    rows = []
    for (t, r), fs in group(FINDINGS, lambda f: (f['Resources'][0]['Type'],
                                                 f['Resources'][0]['Id'])).items():
        if len(fs) > 1:
            rows.append([t, r, len(fs), max(f['Severity']['Normalized'] for f in fs)])
    rows.sort(key=lambda x: (-x[3], -x[2], x[1]))
    return ['resource_type', 'resource', 'findings', 'max_severity'], rows


@query('40_findings_with_cloudtrail', '''
-- Findings on access keys, with what CloudTrail recorded for each key (store findings joined
-- with the CloudTrail table or connector).
SELECT f.type0 AS finding_type, f.resource_id AS resource, count(c.eventname) AS events,
       count(DISTINCT c.sourceipaddress) AS source_ips,
       sum(CASE WHEN c.errorcode IS NOT NULL THEN 1 ELSE 0 END) AS errors
FROM findings AS f
LEFT JOIN {cloudtrail} AS c
  ON 'AWS::IAM::AccessKey:' || json_extract_scalar(c.useridentity, '$.accessKeyId')
     = f.resource_id
WHERE f.resource_type = 'AwsIamAccessKey'
GROUP BY 1, 2
ORDER BY finding_type, resource
''')
def q40():
    rows = []
    for (t, r), fs in sorted(group([f for f in FINDINGS if f['Resources'][0]['Type'] ==
                                    'AwsIamAccessKey'],
                                   lambda f: (f['Types'][0], f['Resources'][0]['Id'])).items()):
        evs = [c for c in cts() if 'AWS::IAM::AccessKey:' + str(
            c['userIdentity'].get('accessKeyId')) == r]
        evs = evs * len(fs)
        rows.append([t, r, len(evs), count_distinct(c['sourceIPAddress'] for c in evs),
                     sum(1 for c in evs if c.get('errorCode') is not None)])
    return ['finding_type', 'resource', 'events', 'source_ips', 'errors'], rows


def file_groups():
    out = []
    for source, files in (('cloudtrail', CT_FILES), ('r53', DNS_FILES), ('vpcflow', FLOW_FILES)):
        for (a, r, d), ps in group(files, lambda f: (f[0], f[1], f[2])).items():
            n = 0
            for _, _, _, p in ps:
                data = gzip.decompress(open(p, 'rb').read()).decode()
                n += (len(json.loads(data)['Records']) if source == 'cloudtrail' else
                      len(data.splitlines()) - (source == 'vpcflow'))
            out.append([source, a, r, d, len(ps), n])
    out.append(['k8s', None, None, None, 3, len(K8S)])
    return out


@query('41_files_partitions', '''
-- modes: files
-- What the connectors read from the S3 key layout: files and records per partition.
SELECT 'cloudtrail' AS source, _account AS account, _region AS region, _date AS day,
       count(DISTINCT _file) AS files, count(*) AS records
FROM {cloudtrail} GROUP BY 2, 3, 4
UNION ALL
SELECT 'k8s', _account, _region, _date, count(DISTINCT _file), count(*)
FROM {k8s} GROUP BY 2, 3, 4
UNION ALL
SELECT 'r53', _account, _region, _date, count(DISTINCT _file), count(*)
FROM {r53} GROUP BY 2, 3, 4
UNION ALL
SELECT 'vpcflow', _account, _region, _date, count(DISTINCT _file), count(*)
FROM {vpcflow} GROUP BY 2, 3, 4
ORDER BY source, account, region, day
''', modes=('files',))
def q41():
    rows = file_groups()
    rows.sort(key=lambda x: (x[0], nulls_first(x[1]), nulls_first(x[2]), nulls_first(x[3])))
    return ['source', 'account', 'region', 'day', 'files', 'records'], rows


@query('42_files_late_deliveries', '''
-- modes: files
-- Records delivered in a file of a later day than their own (_date is the delivery day).
SELECT eventtime AS event_time, recipientaccountid AS account, eventname AS api,
       _date AS delivered, replace(_file, rtrim(_file, replace(_file, '/', '')), '') AS file_name
FROM {cloudtrail}
WHERE replace(substr(eventtime, 1, 10), '-', '/') <> _date
ORDER BY event_time, api
''', modes=('files',))
def q42():
    rows = []
    for a, _, d, p in CT_FILES:
        data = json.loads(gzip.decompress(open(p, 'rb').read()).decode())
        for r in data['Records']:
            if r['eventTime'][:10].replace('-', '/') != d:
                rows.append([r['eventTime'], r['recipientAccountId'], r['eventName'], d,
                             os.path.basename(p)])
    rows.sort(key=lambda x: (x[0], x[2]))
    return ['event_time', 'account', 'api', 'delivered', 'file_name'], rows


# ---- docs/query-examples.md ------------------------------------------------------------------

TITLES = {
    '01': 'Events per account and region', '02': 'Console logins without MFA',
    '03': 'Failed console logins', '04': 'API calls by source IP',
    '05': 'IAM changes per principal', '06': 'IAM change log', '07': 'Access denied',
    '08': 'S3 data events per bucket', '09': 'S3 bytes downloaded per principal',
    '10': 'Data events per bucket through resources[]', '11': 'Root user activity',
    '12': 'Client families (user agents)', '13': 'Access keys used from several addresses',
    '14': 'Sessions without MFA', '15': 'Defense evasion',
    '16': 'IAM changes within an hour of a console login', '17': 'Policy changes (regexp)',
    '18': 'Daily volume by category', '19': 'Normalized principals (rp_ columns)',
    '20': 'Cross-account calls', '21': 'Top talkers', '22': 'Rejected flows by port',
    '23': 'Port scanners', '24': 'Flow records per day, action and status',
    '25': 'Interfaces without traffic (NODATA)', '26': 'Admin ports reached from outside',
    '27': 'Flows to and from addresses CloudTrail denied',
    '28': 'Most queried domains', '29': 'NXDOMAIN answers per client',
    '30': 'DNS Firewall matches', '31': 'Resolved a suspicious name, then connected to it',
    '32': 'Kubernetes requests refused', '33': 'Kubernetes secrets access',
    '34': 'exec into pods and RBAC changes', '35': 'Kubernetes users and client addresses',
    '36': 'Requests with cluster-admin rights', '37': 'Findings by type and severity',
    '38': 'Findings per account and product', '39': 'Resources with several findings',
    '40': 'Findings on access keys, with their CloudTrail activity',
    '41': 'Partitions of the files (connectors only)',
    '42': 'Late deliveries (connectors only)',
}

DOC_HEAD = """# Analyst queries

%(n)d queries an analyst runs on AWS logs with `rampart query`, in the Athena dialect where
Rampart has it. They are the acceptance suite of the query engine, on the fixture tree
`tests/fixtures/query/suite`: three days of CloudTrail, VPC Flow Logs, Route 53 Resolver query
logs and EKS audit events of two accounts, and a few Security Hub findings. Each log query
runs both **against the store**, after `rampart ingest`, and **against the raw files in
place**, through the connectors, and both must print exactly the rows in
`tests/fixtures/query/suite-expected/` (`tests/cli/test_cli_query_suite.sh`). The findings
queries (37 to 39) read the store only, and the last two read what only the connectors have,
the files' partitions. The fixtures and the expected rows are written by
`tests/tools/gen_query_suite.py`, which computes the results on its own, without Rampart.

Each query is shown on the store tables. To run it on files without ingesting them, replace
the table by its connector, with the same columns:

| store table | connector over files in place |
|---|---|
| `cloudtrail_logs` | `cloudtrail_files('path/AWSLogs')` |
| `vpc_flow_logs` | `vpc_flow_files('path/AWSLogs')` |
| `r53_resolver_query_logs` | `r53_resolver_files('path/AWSLogs')` |
| `k8s_audit_logs` | `k8s_audit_files('path/to/audit/logs')` |

```sh
rampart ingest ~/logs/AWSLogs                     # then, on the store:
rampart query --format csv "SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY 1"
# or on the files, reading only one account's day (partition pruning on the S3 key):
rampart query "SELECT eventname, count(*) AS n FROM cloudtrail_files('$HOME/logs/AWSLogs')
               WHERE _account = '111122223333' AND _date = '2024/03/02' GROUP BY 1"
```

The connectors also have the hidden columns `_file` (the file a row came from), `_account`,
`_region` and `_date` (`'YYYY/MM/DD'`), taken from the S3 key layout; a `WHERE` on them keeps
the connector from opening the other files.

Habits of the dialect the queries rely on:

- Nested CloudTrail fields: `json_extract_scalar(requestparameters, '$.bucketName')` as in
  Athena, or the struct syntax `useridentity.arn`,
  `useridentity.sessioncontext.attributes.mfaauthenticated` (case-insensitive member access).
- Booleans (`readonly`, `managementevent`) are 0 and 1: write `readonly = 0` where Athena's
  table has `readonly = 'false'`.
- Numbers inside JSON come out of `json_extract_scalar` as text: `CAST(.. AS BIGINT)` before
  `sum`, `CAST(.. AS INTEGER)` before comparing.
- `UNNEST` is `json_each`: `FROM cloudtrail_logs AS c, json_each(c.resources) AS r`.
- Epoch seconds (flow logs' `start` and `"end"`) become dates with `date(start, 'unixepoch')`;
  `end` and `user` need double quotes.
- Every output column has an alias, so headers do not depend on how a column was spelled.

"""


FILES_DOC = {'{cloudtrail}': "cloudtrail_files('AWSLogs')", '{vpcflow}': "vpc_flow_files('AWSLogs')",
             '{r53}': "r53_resolver_files('AWSLogs')", '{k8s}': "k8s_audit_files('k8s')"}


def write_docs():
    out = [DOC_HEAD % {'n': len(QUERIES)}]
    store = {'{cloudtrail}': 'cloudtrail_logs', '{vpcflow}': 'vpc_flow_logs',
             '{r53}': 'r53_resolver_query_logs', '{k8s}': 'k8s_audit_logs'}
    for name, sql, fn, modes in QUERIES:
        num = name[:2]
        lines = sql.splitlines()
        about = []
        while lines and lines[0].startswith('--'):
            line = lines.pop(0)[3:]
            if not line.startswith('modes:'):
                about.append(line)
        body = '\n'.join(lines)
        for k, v in (store if modes != ('files',) else FILES_DOC).items():
            body = body.replace(k, v)
        header, rows = fn()
        res = csv_text(header, rows).splitlines()
        shown = res[:6]
        out.append('## %s. %s\n\n%s\n\n```sql\n%s\n```\n\nOn the fixtures (`%s.csv`%s):\n\n'
                   '```\n%s\n```\n\n' % (
                       num, TITLES[num], ' '.join(about), body, name,
                       ', first %d of %d rows' % (len(shown) - 1, len(res) - 1)
                       if len(res) > len(shown) else '', '\n'.join(shown)))
    text = ''.join(out).rstrip('\n') + '\n'
    write(os.path.join(ROOT, 'docs', 'query-examples.md'), text.encode())


# ---- output ----------------------------------------------------------------------------------

def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\n', quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(['' if v is None else v for v in r])
    return out.getvalue()


def main():
    ct_events()
    flow_records()
    dns_records()
    k8s_records()
    findings_records()
    for d in (TREE, QDIR, EDIR):
        if os.path.isdir(d):
            shutil.rmtree(d)
    write_cloudtrail()
    write_flows()
    write_dns()
    write_k8s()
    write_findings()
    os.makedirs(QDIR)
    os.makedirs(EDIR)
    for name, sql, fn, modes in QUERIES:
        header, rows = fn()
        assert rows, name
        text = sql
        if modes == ('store',):
            text = '-- modes: store\n' + text
        write(os.path.join(QDIR, name + '.sql'), text.encode())
        write(os.path.join(EDIR, name + '.csv'), csv_text(header, rows).encode())
    write_docs()
    # partition pruning: files a connector opens for _account = PROD AND _date = 2024/03/02
    lines = []
    for conn, files in (('cloudtrail_files', CT_FILES), ('vpc_flow_files', FLOW_FILES),
                        ('r53_resolver_files', DNS_FILES)):
        sel = [p for a, _, d, p in files if a == PROD and d == '2024/03/02']
        nrec = 0
        for p in sel:
            data = gzip.decompress(open(p, 'rb').read()).decode()
            if conn == 'cloudtrail_files':
                nrec += len(json.loads(data)['Records'])
            elif conn == 'vpc_flow_files':
                nrec += len(data.splitlines()) - 1
            else:
                nrec += len(data.splitlines())
        lines.append('%s %d %d %d' % (conn, len(files), len(sel), nrec))
    write(os.path.join(EDIR, 'pruning.txt'), ('\n'.join(lines) + '\n').encode())
    print('cloudtrail: %d records in %d files; flow: %d records in %d files; dns: %d in %d; '
          'k8s: %d; findings: %d; queries: %d' % (
              len(CT), len(CT_FILES), len(FLOW), len(FLOW_FILES), len(DNS), len(DNS_FILES),
              len(K8S), len(FINDINGS), len(QUERIES)))


if __name__ == '__main__':
    main()
