import fc from 'fast-check';
import { buildCatalog, type ManifestSource } from '../../lib/domain/catalog';
import { ManifestError } from '../../lib/errors';

const NUM_RUNS = 200;

type RawManifest = Record<string, unknown> & { name: string; healthCheck: Record<string, unknown> };

const serviceName = fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/);

/** A valid monolith plus 1-6 microservices with distinct names, priorities and paths. */
const validCatalog: fc.Arbitrary<RawManifest[]> = fc
  .record({
    names: fc.uniqueArray(serviceName, { minLength: 2, maxLength: 7 }),
    priorities: fc.uniqueArray(fc.integer({ min: 1, max: 50_000 }), { minLength: 7, maxLength: 7 }),
    intervalSeconds: fc.integer({ min: 6, max: 300 }),
    healthyThreshold: fc.integer({ min: 2, max: 10 }),
    extraPaths: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ names, priorities, intervalSeconds, healthyThreshold, extraPaths }) =>
    names.map((name, index) => ({
      name,
      repository: `repo-${name}`,
      role: index === 0 ? 'monolith' : 'microservice',
      paths: [`/svc/${name}/*`, ...Array.from({ length: index === 0 ? 0 : extraPaths }, (_, n) => `/svc/${name}/v${n}*`)],
      priority: priorities[index] ?? index + 1,
      healthCheck: { path: '/', healthyThreshold, unhealthyThreshold: 2, timeoutSeconds: Math.min(120, intervalSeconds - 1), intervalSeconds, matcher: '200' },
    })),
  );

const sourcesOf = (manifests: readonly RawManifest[]): ManifestSource[] => manifests.map((content) => ({ file: `services/${content.name}/service.yml`, content }));

const KNOWN_FIELDS = Object.fromEntries(
  ['name', 'repository', 'role', 'family', 'targetGroupName', 'containerPort', 'memory', 'cpu', 'launchType', 'networkMode', 'desiredCount', 'paths', 'priority', 'healthCheck', 'deregistrationDelaySeconds', 'healthGateTimeoutSeconds'].map((key) => [key, true]),
);

interface Defect {
  readonly label: string;
  /** Bends manifests[index] (index ≥ 1, so an earlier manifest can be copied); returns the field the error must name. */
  readonly apply: (manifests: RawManifest[], index: number) => string;
}

const outOfRange = (field: string, low: number, high: number): fc.Arbitrary<Defect> =>
  fc.oneof(fc.integer({ max: low - 1 }), fc.integer({ min: high + 1 }), fc.double({ min: low + 0.01, max: high - 0.01, noInteger: true })).map((value) => ({
    label: `healthCheck.${field} = ${value}`,
    apply: (manifests, index) => {
      const target = manifests[index] as RawManifest;
      target.healthCheck[field] = value;
      // keep timeout < interval unless that is the field under test, so this is the only rule broken
      if (field === 'intervalSeconds') target.healthCheck.timeoutSeconds = 2;
      if (field === 'timeoutSeconds') target.healthCheck.intervalSeconds = 300;
      return `healthCheck.${field}`;
    },
  }));

const defect: fc.Arbitrary<Defect> = fc.oneof(
  outOfRange('healthyThreshold', 2, 10),
  outOfRange('unhealthyThreshold', 2, 10),
  outOfRange('timeoutSeconds', 2, 120),
  outOfRange('intervalSeconds', 5, 300),
  fc.record({ interval: fc.integer({ min: 5, max: 120 }), over: fc.integer({ min: 0, max: 180 }) }).map(({ interval, over }): Defect => ({
    label: `timeoutSeconds ${Math.min(120, interval + over)} >= intervalSeconds ${interval}`,
    apply: (manifests, index) => {
      Object.assign((manifests[index] as RawManifest).healthCheck, { intervalSeconds: interval, timeoutSeconds: Math.min(120, interval + over) });
      return 'healthCheck.timeoutSeconds';
    },
  })),
  fc.constant<Defect>({ label: 'duplicate priority', apply: (manifests, index) => ((manifests[index] as RawManifest).priority = manifests[index - 1]?.priority, 'priority') }),
  fc.constant<Defect>({ label: 'duplicate path', apply: (manifests, index) => ((manifests[index] as RawManifest).paths = [...((manifests[index - 1]?.paths as string[]) ?? [])], 'paths') }),
  fc.stringMatching(/^[a-z][a-z0-9-]{32,80}$/).map((name): Defect => ({ label: `name of ${name.length} characters`, apply: (manifests, index) => ((manifests[index] as RawManifest).name = name, 'name') })),
  fc.record({ key: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,20}$/), inHealthCheck: fc.boolean(), value: fc.jsonValue() })
    .filter(({ key, inHealthCheck }) => !(inHealthCheck ? ['path', 'healthyThreshold', 'unhealthyThreshold', 'timeoutSeconds', 'intervalSeconds', 'matcher'] : Object.keys(KNOWN_FIELDS)).includes(key))
    .map(({ key, inHealthCheck, value }): Defect => ({
      label: `unknown field ${inHealthCheck ? 'healthCheck.' : ''}${key}`,
      apply: (manifests, index) => {
        const target = manifests[index] as RawManifest;
        (inHealthCheck ? target.healthCheck : target)[key] = value;
        return key;
      },
    })),
);

describe('service manifests', () => {
  it('accepts every generated valid catalog', () => {
    fc.assert(
      fc.property(validCatalog, (manifests) => {
        const catalog = buildCatalog(sourcesOf(manifests));

        expect(catalog.services.map((service) => service.name)).toEqual(manifests.map((manifest) => manifest.name));
        expect(new Set(catalog.services.map((service) => service.priority)).size).toBe(manifests.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('refuses every generated bad manifest with a ManifestError naming its file and field', () => {
    fc.assert(
      fc.property(validCatalog, defect, fc.nat(), (manifests, { apply }, pick) => {
        const index = 1 + (pick % (manifests.length - 1));
        const field = apply(manifests, index);
        const file = `services/${manifests[index]?.name}/service.yml`;

        let thrown: unknown;
        try {
          buildCatalog(sourcesOf(manifests));
        } catch (error) {
          thrown = error;
        }

        expect(thrown).toBeInstanceOf(ManifestError);
        const error = thrown as ManifestError;
        expect(error.file).toBe(file);
        expect(error.message).toContain(file);
        expect(error.message).toContain(field);
        // an unknown key is reported on the object that holds it
        expect([field, '(root)', 'healthCheck']).toContain(error.field);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
