/**
 * What SQS's message actions take and return, in the JSON protocol's shapes (protocol.ts translates the query
 * protocol to and from them): SendMessage's input and answer, ReceiveMessage's input and messages, a batch entry's
 * failure.
 */
import type { MessageAttributeValue } from './md5.js';

export interface SendInput {
  MessageBody?: unknown;
  DelaySeconds?: unknown;
  MessageAttributes?: unknown;
  MessageSystemAttributes?: unknown;
  MessageGroupId?: unknown;
  MessageDeduplicationId?: unknown;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  SequenceNumber?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

export interface ReceiveInput {
  MaxNumberOfMessages?: unknown;
  VisibilityTimeout?: unknown;
  AttributeNames?: unknown;
  MessageSystemAttributeNames?: unknown;
  MessageAttributeNames?: unknown;
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}
