import { join } from 'node:path';
import { loadCatalogFromDirectory } from '../../../lib/config/load-catalog';
import { buildCatalog, findByRepository, microservicesOf, monolithOf, parseManifest } from '../../../lib/domain/catalog';
import { ManifestError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const FILE = 'services/posts/service.yml';
const base = { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 };

const manifestErrorOf = (build: () => unknown) => thrownBy(ManifestError, build);

describe('parseManifest', () => {
  it('fills in the tutorial defaults and derives family and target group name from the name', () => {
    // Act
    const manifest = parseManifest({ file: FILE, content: base });

    // Assess
    expect(manifest).toEqual({
      ...base,
      role: 'microservice',
      family: 'posts',
      targetGroupName: 'posts',
      containerPort: 3000,
      memory: 256,
      cpu: 256,
      launchType: 'EC2',
      networkMode: 'bridge',
      desiredCount: 1,
      healthCheck: { path: '/', healthyThreshold: 2, unhealthyThreshold: 2, timeoutSeconds: 5, intervalSeconds: 6, matcher: '200' },
      deregistrationDelaySeconds: 300,
      healthGateTimeoutSeconds: 600,
      healthCheckGracePeriodSeconds: 60,
      traffic: { strategy: 'all-at-once', canaryPercent: 10, stepPercent: 10, bakeMinutes: 5, maxErrorRatePercent: 1, alarms: [] },
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a target group name over 32 characters', { targetGroupName: 'a'.repeat(33) }, 'targetGroupName', 'must be 1-32 letters'],
    ['a service name that cannot be a target group name', { name: 'posts-' }, 'name', 'is used as the target group name'],
    ['priority 0', { priority: 0 }, 'priority', '>=1'],
    ['priority 50001', { priority: 50001 }, 'priority', '<=50000'],
    ['a health-check interval under 5 s', { healthCheck: { intervalSeconds: 4, timeoutSeconds: 2 } }, 'healthCheck.intervalSeconds', '>=5'],
    ['a health-check interval over 300 s', { healthCheck: { intervalSeconds: 301 } }, 'healthCheck.intervalSeconds', '<=300'],
    ['a health-check timeout under 2 s', { healthCheck: { timeoutSeconds: 1 } }, 'healthCheck.timeoutSeconds', '>=2'],
    ['a health-check timeout over 120 s', { healthCheck: { timeoutSeconds: 121, intervalSeconds: 300 } }, 'healthCheck.timeoutSeconds', '<=120'],
    ['a timeout equal to the interval', { healthCheck: { timeoutSeconds: 6, intervalSeconds: 6 } }, 'healthCheck.timeoutSeconds', 'must be smaller than intervalSeconds'],
    ['a timeout above the interval', { healthCheck: { timeoutSeconds: 10, intervalSeconds: 6 } }, 'healthCheck.timeoutSeconds', 'must be smaller than intervalSeconds'],
    ['a healthy threshold over 10', { healthCheck: { healthyThreshold: 11 } }, 'healthCheck.healthyThreshold', '<=10'],
    ['an unhealthy threshold under 2', { healthCheck: { unhealthyThreshold: 1 } }, 'healthCheck.unhealthyThreshold', '>=2'],
    ['a 5xx matcher', { healthCheck: { matcher: '500' } }, 'healthCheck.matcher', 'between 200 and 499'],
    ['a path over 128 characters', { paths: [`/${'a'.repeat(128)}`] }, 'paths[0]', 'at most 128 characters'],
    ['a path not starting with /', { paths: ['api/posts*'] }, 'paths[0]', 'must start with /'],
    ['no path', { paths: [] }, 'paths', 'at least one path pattern'],
    ['six paths', { paths: ['/a', '/b', '/c', '/d', '/e', '/f'] }, 'paths', 'at most 5 path patterns'],
    ['an unknown field', { colour: 'red' }, '(root)', 'Unrecognized key: "colour"'],
    ['an unknown health-check field', { healthCheck: { port: 81 } }, 'healthCheck', 'Unrecognized key: "port"'],
    ['FARGATE without awsvpc', { launchType: 'FARGATE' }, 'networkMode', 'FARGATE requires networkMode awsvpc'],
    ['an upper-case repository', { repository: 'Posts' }, 'repository', 'must be an ECR repository name'],
    ['a container port of 0', { containerPort: 0 }, 'containerPort', '>=1'],
    ['FARGATE with the default 256 CPU / 256 MiB', { launchType: 'FARGATE', networkMode: 'awsvpc' }, 'memory', 'FARGATE with cpu 256 needs memory 512, 1024, 2048 MiB; got 256'],
    ['FARGATE with 1 vCPU and 1 GiB', { launchType: 'FARGATE', networkMode: 'awsvpc', cpu: 1024, memory: 1024 }, 'memory', 'FARGATE with cpu 1024 needs memory 2048-8192 in steps of 1024 MiB; got 1024'],
    ['FARGATE with a cpu it does not offer', { launchType: 'FARGATE', networkMode: 'awsvpc', cpu: 300, memory: 1024 }, 'memory', 'FARGATE needs cpu 256, 512, 1024, 2048, 4096, 8192, 16384; got 300'],
    ['six wildcards across the paths', { paths: ['/a*', '/b*', '/c*', '/d?*', '/e*'] }, 'paths', 'at most 5 wildcards (* and ?) per rule across all its paths (ALB quota); found 6'],
    ['an empty deployTags', { deployTags: [] }, 'deployTags', 'leave deployTags out to deploy every tag'],
    ['a deploy tag with a space', { deployTags: ['v 1'] }, 'deployTags[0]', 'must be an image tag or a pattern with * wildcards'],
    ['eleven deploy tags', { deployTags: Array.from({ length: 11 }, (_, i) => `v${i}`) }, 'deployTags', 'at most 10 tag patterns'],
  ])('rejects %s with a ManifestError naming the file, the field and the limit', (_case, overrides, field, limit) => {
    // Act
    const error = manifestErrorOf(() => parseManifest({ file: FILE, content: { ...base, ...overrides } }));

    // Assess
    expect(error.name).toBe('ManifestError');
    expect(error.file).toBe(FILE);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`invalid manifest ${FILE}: ${field}: `);
    expect(error.message).toContain(limit);
  });

  it.each([
    ['FARGATE with awsvpc and a Fargate size', { launchType: 'FARGATE', networkMode: 'awsvpc', cpu: 256, memory: 512 }],
    ['FARGATE at 16 vCPU and 120 GiB', { launchType: 'FARGATE', networkMode: 'awsvpc', cpu: 16384, memory: 122880 }],
    ['five wildcards across the paths', { paths: ['/a*', '/b*', '/c?', '/d*', '/e'] }],
    ['the largest health-check timeout below its interval', { healthCheck: { timeoutSeconds: 120, intervalSeconds: 121 } }],
    ['priority 50000', { priority: 50000 }],
    ['a 32-character target group name', { targetGroupName: 'a'.repeat(32) }],
    ['a 128-character path', { paths: [`/${'a'.repeat(127)}`] }],
    ['a matcher range', { healthCheck: { matcher: '200-299' } }],
  ])('accepts %s (inside the AWS limits)', (_case, overrides) => {
    // Act
    const manifest = parseManifest({ file: FILE, content: { ...base, ...overrides } });

    // Assess
    expect(manifest.name).toBe('posts');
  });
});

describe('buildCatalog', () => {
  const other = { name: 'users', repository: 'users', paths: ['/api/users*'], priority: 2 };
  const OTHER_FILE = 'services/users/service.yml';

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a duplicate priority', { priority: 1 }, 'priority', 'priority 1 is claimed by both services/posts/service.yml and services/users/service.yml'],
    ['a duplicate path', { paths: ['/api/posts*'] }, 'paths', 'paths "/api/posts*" is claimed by both services/posts/service.yml and services/users/service.yml'],
    ['a duplicate repository', { repository: 'posts' }, 'repository', 'repository "posts" is claimed by both services/posts/service.yml and services/users/service.yml'],
    ['a target group name differing only in case', { targetGroupName: 'POSTS' }, 'targetGroupName', 'targetGroupName "posts" is claimed by both services/posts/service.yml and services/users/service.yml'],
    ['a duplicate family', { family: 'posts' }, 'family', 'family "posts" is claimed by both services/posts/service.yml and services/users/service.yml'],
  ])('rejects %s, naming both files that claim it (either may be the one edited)', (_case, overrides, field, message) => {
    // Act
    const error = manifestErrorOf(() =>
      buildCatalog([
        { file: FILE, content: base },
        { file: OTHER_FILE, content: { ...other, ...overrides } },
      ]),
    );

    // Assess
    expect(error.file).toBe(OTHER_FILE);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`invalid manifest ${OTHER_FILE}: ${message}`);
  });

  it("rejects a microservice whose priority comes after the monolith's catch-all that takes its paths", () => {
    // Prepare
    const monolith = { file: 'services/api/service.yml', content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 } };

    // Act
    const error = manifestErrorOf(() => buildCatalog([monolith, { file: FILE, content: { ...base, priority: 150 } }]));

    // Assess
    expect(error.file).toBe(FILE);
    expect(error.field).toBe('priority');
    expect(error.message).toBe(`invalid manifest ${FILE}: priority 150 comes after services/api/service.yml's 99, whose paths /api* take requests for /api/posts*: give posts a priority number below 99`);
  });

  it('rejects a microservice whose paths an earlier microservice takes, and accepts the monolith after the microservices', () => {
    // Act
    const shadowed = manifestErrorOf(() => buildCatalog([{ file: FILE, content: { ...base, paths: ['/api/*'] } }, { file: OTHER_FILE, content: other }]));
    const tutorial = buildCatalog([
      { file: FILE, content: base },
      { file: 'services/api/service.yml', content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 } },
    ]);

    // Assess
    expect(shadowed.file).toBe(OTHER_FILE);
    expect(shadowed.message).toContain('whose paths /api/* take requests for /api/users*');
    expect(tutorial.services).toHaveLength(2);
  });

  it('rejects a second monolith', () => {
    // Act
    const error = manifestErrorOf(() =>
      buildCatalog([
        { file: FILE, content: { ...base, role: 'monolith' } },
        { file: OTHER_FILE, content: { ...other, role: 'monolith' } },
      ]),
    );

    // Assess
    expect(error.field).toBe('role');
    expect(error.message).toBe(`invalid manifest ${OTHER_FILE}: role monolith is already claimed by ${FILE}`);
  });

  it('loads the real services/ catalog: one monolith and three microservices', () => {
    // Act
    const catalog = loadCatalogFromDirectory(join(__dirname, '..', '..', '..', 'services'));

    // Assess
    expect(monolithOf(catalog)?.name).toBe('api');
    expect(microservicesOf(catalog).map((m) => [m.name, m.priority, m.paths])).toEqual([
      ['posts', 1, ['/api/posts*']],
      ['threads', 3, ['/api/threads*']],
      ['users', 2, ['/api/users*']],
    ]);
    expect(findByRepository(catalog, 'users')?.name).toBe('users');
    expect(findByRepository(catalog, 'comments')).toBeUndefined();
  });
});
