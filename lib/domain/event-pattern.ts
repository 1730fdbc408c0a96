import type { Catalog } from './catalog';

/**
 * The EventBridge pattern that starts a rollout: a successful PUSH to one of the catalog's repositories.
 * serverless.yml and the local runner both take it from here, so the pattern under test is the deployed one.
 * Shape per the ECR docs (AmazonECR/latest/userguide/ecr-eventbridge.html).
 */
export interface PushEventPattern {
  source: ['aws.ecr'];
  'detail-type': ['ECR Image Action'];
  detail: {
    'action-type': ['PUSH'];
    result: ['SUCCESS'];
    'repository-name': string[];
  };
}

export function buildPushEventPattern(catalog: Catalog): PushEventPattern {
  return {
    source: ['aws.ecr'],
    'detail-type': ['ECR Image Action'],
    detail: {
      'action-type': ['PUSH'],
      result: ['SUCCESS'],
      'repository-name': catalog.services.map((service) => service.repository).sort(),
    },
  };
}
