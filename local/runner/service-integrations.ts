import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Integration = (input: unknown) => Promise<unknown>;

/** An error as a Step Functions service integration reports it: `<Service>.<code>`, and the service's message as the cause. */
export class IntegrationError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Step Functions' optimized DynamoDB integrations (arn:aws:states:::dynamodb:<action>), answered through an
 * ordinary SDK client (the emulator's locally). The Task's Parameters are the API's request; the result is
 * the API's response; an error is named `DynamoDB.<exception>` (Step Functions developer guide, "Call
 * DynamoDB APIs with Step Functions"), e.g. DynamoDB.ConditionalCheckFailedException.
 */
export function dynamodbIntegrations(client: DynamoDBClient): Record<string, Integration> {
  const call = (send: (input: never) => Promise<{ $metadata?: unknown }>): Integration => async (input) => {
    try {
      const { $metadata: _metadata, ...output } = await send(input as never);
      return JSON.parse(JSON.stringify(output)) as unknown;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      const message = error instanceof Error ? error.message : String(error);
      throw new IntegrationError(`DynamoDB.${name}`, `${message} (Service: DynamoDb, Status Code: 400, Error Code: ${name})`);
    }
  };
  return {
    // The only one the definitions use; another is a line here once a state needs it.
    'arn:aws:states:::dynamodb:updateItem': call((input) => client.send(new UpdateItemCommand(input))),
  };
}
