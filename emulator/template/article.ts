/** The indefinite article of a word the template supplies (a resource type, an event type, a method, a destination). */

/** Initialisms read letter by letter whose first letter sounds as a vowel ("an SQS queue", "an HTTP API", "an HttpApi event", "an S3 bucket"). */
const VOWEL_SOUNDING = /^(?:S3|SQS|SNS|SSM|SES|HTTP|Http|MSK|MQ|MQTT|RDS|FSx|LLM|XML)/;

/** "a" or "an" and the word, as the word is read aloud: a vowel letter, or an initialism such as SQS, takes "an". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) || VOWEL_SOUNDING.test(word) ? 'an' : 'a'} ${word}`;
}
