import { parseManifest } from '../../../lib/domain/catalog';
import { ManifestError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const posts = { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 };
const manifestWith = (healthCheckGracePeriodSeconds: unknown) => parseManifest({ file: 'services/posts/service.yml', content: { ...posts, healthCheckGracePeriodSeconds } });

describe('manifest healthCheckGracePeriodSeconds', () => {
  it('defaults to 60 s: a container start plus the first health check (one interval + timeout)', () => {
    // Act
    const manifest = parseManifest({ file: 'services/posts/service.yml', content: posts });

    // Assess
    expect(manifest.healthCheckGracePeriodSeconds).toBe(60);
    expect(manifest.healthCheckGracePeriodSeconds).toBeGreaterThan(manifest.healthCheck.intervalSeconds + manifest.healthCheck.timeoutSeconds);
  });

  it.each([0, 300, 2_147_483_647])('accepts %i s (ECS: 0-2147483647)', (seconds) => {
    // Assess
    expect(manifestWith(seconds).healthCheckGracePeriodSeconds).toBe(seconds);
  });

  it.each<[string, unknown]>([
    ['a negative period', -1],
    ['more than ECS takes', 2_147_483_648],
    ['a fraction of a second', 1.5],
    ['a string', '60'],
  ])('rejects %s with a ManifestError naming the field', (_case, value) => {
    // Act
    const error = thrownBy(ManifestError, () => manifestWith(value));

    // Assess
    expect(error.field).toBe('healthCheckGracePeriodSeconds');
    expect(error.message).toMatch(/^invalid manifest services\/posts\/service\.yml: healthCheckGracePeriodSeconds: /);
  });
});
