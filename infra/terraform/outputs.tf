output "api_url" {
  description = "Base URL of the API stage (the REST API's or the HTTP API's, whichever api_type deploys)."
  value       = one(concat(aws_api_gateway_stage.task_api[*].invoke_url, aws_apigatewayv2_stage.task_api[*].invoke_url))
}

output "user_pool_id" {
  description = "Cognito user pool that signs the ID tokens the API accepts."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_client_id" {
  description = "Web client of the user pool (SRP sign-in)."
  value       = aws_cognito_user_pool_client.web.id
}

output "basic_api_key_id" {
  description = "Read the value with: aws apigateway get-api-key --include-value --api-key <id> (REST API only; null with the HTTP API)."
  value       = local.rest_api ? aws_api_gateway_api_key.key["basic"].id : null
}

output "premium_api_key_id" {
  description = "API key of the Premium usage plan (REST API only; null with the HTTP API)."
  value       = local.rest_api ? aws_api_gateway_api_key.key["premium"].id : null
}

output "admin_jwt_secret_arn" {
  description = "Secret holding the admin token signing key."
  value       = aws_secretsmanager_secret.signing_key["admin_jwt"].arn
}

output "tasks_table_name" {
  description = "DynamoDB table of the tasks."
  value       = aws_dynamodb_table.tasks.name
}
