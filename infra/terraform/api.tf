# The REST API from openapi/api.yaml (I12.1–I12.9), deployed when api_type is "REST" (the default; the
# HTTP API variant is http_api.tf). The body is openapi.gen.json.tftpl, generated from the contract by
# `npm run generate` (infra/terraform-body.ts): each reference the contract makes is a template
# variable, given its value here; every other "${" of the document is escaped.
#
# The REST resources have `count = local.rest_api ? 1 : 0`: at the default the same resources as
# before, which Terraform moves from `x` to `x[0]` by itself when count is added.

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # template.yaml's RestApiSelected and HttpApiSelected: exactly one of the two APIs is deployed.
  rest_api = var.api_type == "REST"
  http_api = var.api_type == "HTTP"

  # Template variables of both bodies (the REST API's and the HTTP API's, http_api.tf).
  common_references = {
    AWS_Partition = data.aws_partition.current.partition
    AWS_Region    = data.aws_region.current.region
    AllowedOrigin = var.allowed_origin
  }
  # Template variable → value, one for each reference of the contract (the functions' ARNs are added below).
  contract_references = merge(local.common_references, {
    TasksTable                  = aws_dynamodb_table.tasks.name
    UserPool_Arn                = aws_cognito_user_pool.users.arn
    ApiGatewayTasksReadRole_Arn = one(aws_iam_role.api_gateway_tasks_read[*].arn)
  })
  function_arn_references = { for name, fn in aws_lambda_function.handler : "${name}_Arn" => fn.arn }
}

resource "aws_api_gateway_rest_api" "task_api" {
  count             = local.rest_api ? 1 : 0
  name              = "${var.name}-tasks"
  description       = "Task API (contract in openapi/api.yaml)"
  body              = templatefile("${path.module}/openapi.gen.json.tftpl", merge(local.contract_references, local.function_arn_references))
  put_rest_api_mode = "overwrite"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# A deployment is a snapshot: a new one whenever the body changes, created before the old one goes.
resource "aws_api_gateway_deployment" "task_api" {
  count       = local.rest_api ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.task_api[0].id
  description = "openapi/api.yaml ${sha1(aws_api_gateway_rest_api.task_api[0].body)}"

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.task_api[0].body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
}

resource "aws_api_gateway_stage" "task_api" {
  count                 = local.rest_api ? 1 : 0
  rest_api_id           = aws_api_gateway_rest_api.task_api[0].id
  deployment_id         = aws_api_gateway_deployment.task_api[0].id
  stage_name            = var.stage_name
  xray_tracing_enabled  = true
  cache_cluster_enabled = var.enable_caching
  cache_cluster_size    = var.enable_caching ? "0.5" : null

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      user               = "$context.authorizer.claims.sub"
      apiKeyId           = "$context.identity.apiKeyId"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      errorType          = "$context.error.responseType"
      errorMessage       = "$context.error.message"
      validationError    = "$context.error.validationErrorString"
      wafStatus          = "$context.wafResponseCode"
    })
  }

  # Execution logging needs the account's CloudWatch role first.
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  count       = local.rest_api ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.task_api[0].id
  stage_name  = aws_api_gateway_stage.task_api[0].stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    caching_enabled        = false
  }
}

# Only GET /health is cached: it is the one answer that does not depend on the caller.
resource "aws_api_gateway_method_settings" "health" {
  count       = local.rest_api ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.task_api[0].id
  stage_name  = aws_api_gateway_stage.task_api[0].stage_name
  method_path = "health/GET"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    caching_enabled        = var.enable_caching
    cache_ttl_in_seconds   = var.cache_ttl_seconds
  }
}

data "aws_iam_policy_document" "apigateway_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

# Execution logs need API Gateway's account-wide CloudWatch role (one per account and region); HTTP
# APIs have no execution logs.
resource "aws_iam_role" "api_gateway_cloudwatch" {
  count              = local.rest_api ? 1 : 0
  name_prefix        = "${var.name}-apigw-logs-"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume.json
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  count      = local.rest_api ? 1 : 0
  role       = aws_iam_role.api_gateway_cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count               = local.rest_api ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch[0].arn
}

# API Gateway reads tasks straight from DynamoDB for getTask: this role may do exactly that.
resource "aws_iam_role" "api_gateway_tasks_read" {
  count              = local.rest_api ? 1 : 0
  name_prefix        = "${var.name}-apigw-read-"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume.json
}

resource "aws_iam_role_policy" "api_gateway_tasks_read" {
  count = local.rest_api ? 1 : 0
  name  = "get-task-item"
  role  = aws_iam_role.api_gateway_tasks_read[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:GetItem", Resource = aws_dynamodb_table.tasks.arn }]
  })
}
