import { configFromEnv } from '../../../lib/config/pipeline-config';

const ENV = {
  CLUSTER_NAME: 'c',
  LISTENER_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2',
  VPC_ID: 'vpc-1',
  EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
};
const posts = { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 };
const users = { name: 'users', repository: 'users', paths: ['/api/users*'], priority: 2 };

describe('configFromEnv: where the catalog comes from', () => {
  it('takes the catalog compiled into the bundle, over any SERVICE_CATALOG', () => {
    const config = configFromEnv({ ...ENV, SERVICE_CATALOG: JSON.stringify([users]) }, [posts]);

    expect(config.catalog.services.map((service) => service.name)).toEqual(['posts']);
  });

  it('falls back to SERVICE_CATALOG outside a bundle', () => {
    const config = configFromEnv({ ...ENV, SERVICE_CATALOG: JSON.stringify([users]) }, undefined);

    expect(config.catalog.services.map((service) => service.name)).toEqual(['users']);
  });

  it('fails at cold start, by name, with neither', () => {
    expect(() => configFromEnv(ENV, undefined)).toThrow('missing environment variable SERVICE_CATALOG: no catalog was compiled into this bundle either');
  });

  it('names the bundled manifest that fails validation', () => {
    expect(() => configFromEnv(ENV, [{ ...posts, priority: 0 }])).toThrow(/^invalid manifest bundled catalog\[0\]: priority: /);
  });

  it('treats an empty optional variable as unset (an empty --param)', () => {
    expect(configFromEnv({ ...ENV, TASK_ROLE_ARN: '' }, [posts]).taskRoleArn).toBeUndefined();
    expect(configFromEnv({ ...ENV, ECS_INFRASTRUCTURE_ROLE_ARN: '' }, [posts]).ecsInfrastructureRoleArn).toBeUndefined();
  });

  it('reads the ECS infrastructure role, which must be an IAM role ARN', () => {
    const role = 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers';
    expect(configFromEnv({ ...ENV, ECS_INFRASTRUCTURE_ROLE_ARN: role }, [posts]).ecsInfrastructureRoleArn).toBe(role);
    expect(() => configFromEnv({ ...ENV, ECS_INFRASTRUCTURE_ROLE_ARN: 'arn:aws:iam::1:user/x' }, [posts])).toThrow(/ECS_INFRASTRUCTURE_ROLE_ARN/);
  });
});
