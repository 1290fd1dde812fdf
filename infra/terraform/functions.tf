# The Lambda functions of template.yaml, from the same esbuild bundles as the CDK stack (npm run bundle),
# each with exactly the data access its SAM counterpart has.

locals {
  bundle_dir = coalesce(var.bundle_dir, "${path.module}/../build/functions")

  tasks_table_arn = aws_dynamodb_table.tasks.arn
  admin_jwt_arn   = aws_secretsmanager_secret.signing_key["admin_jwt"].arn
  cursor_arn      = aws_secretsmanager_secret.signing_key["cursor_signing"].arn

  # Keys are the logical names the contract's integration URIs use (${ListTasksFunction.Arn}).
  functions = {
    ListTasksFunction = {
      source      = "listTasks"
      description = "GET /tasks (listTasks)"
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, CURSOR_SECRET_ID = local.cursor_arn }
      statements = [
        { actions = ["dynamodb:Query"], resources = [local.tasks_table_arn, "${local.tasks_table_arn}/index/byStatus"] },
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.cursor_arn] },
      ]
    }
    CreateTaskFunction = {
      source      = "createTask"
      description = "POST /tasks (createTask), idempotent with Idempotency-Key"
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, IDEMPOTENCY_TABLE_NAME = aws_dynamodb_table.idempotency.name }
      statements = [
        { actions = ["dynamodb:PutItem"], resources = [local.tasks_table_arn] },
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [aws_dynamodb_table.idempotency.arn] },
      ]
    }
    UpdateTaskFunction = {
      source      = "updateTask"
      description = "PUT /tasks/{taskId} (updateTask), non-proxy integration with mapping templates"
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name }
      statements = [
        { actions = ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources = [local.tasks_table_arn] },
      ]
    }
    DeleteTaskFunction = {
      source      = "deleteTask"
      description = "DELETE /tasks/{taskId} (deleteTask)"
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name }
      statements = [
        { actions = ["dynamodb:DeleteItem", "dynamodb:GetItem"], resources = [local.tasks_table_arn] },
      ]
    }
    ListUserTasksFunction = {
      source      = "listUserTasks"
      description = "GET /admin/users/{userId}/tasks (listUserTasks), admin only"
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, CURSOR_SECRET_ID = local.cursor_arn }
      statements = [
        { actions = ["dynamodb:Query"], resources = [local.tasks_table_arn, "${local.tasks_table_arn}/index/byStatus"] },
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.cursor_arn] },
      ]
    }
    AdminAuthorizerFunction = {
      source      = "adminAuthorizer"
      description = "Lambda TOKEN authorizer of the admin routes"
      timeout     = 5
      environment = { ADMIN_JWT_SECRET_ID = local.admin_jwt_arn }
      statements = [
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.admin_jwt_arn] },
      ]
    }
  }

  # template.yaml's Globals.Function environment.
  common_environment = {
    POWERTOOLS_SERVICE_NAME = "task-api"
    POWERTOOLS_LOG_LEVEL    = var.log_level
    ALLOWED_ORIGIN          = var.allowed_origin
    NODE_OPTIONS            = "--enable-source-maps"
  }
}

data "archive_file" "handler" {
  for_each    = local.functions
  type        = "zip"
  source_dir  = "${local.bundle_dir}/${each.value.source}"
  output_path = "${path.module}/.terraform/bundles/${each.value.source}.zip"
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name_prefix        = "${var.name}-${each.value.source}-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "function_logs" {
  for_each   = local.functions
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# Tracing: Active (X-Ray has no resource-level permissions).
resource "aws_iam_role_policy_attachment" "function_tracing" {
  for_each   = local.functions
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"
}

resource "aws_iam_role_policy" "function_data" {
  for_each = local.functions
  name     = "data-access"
  role     = aws_iam_role.function[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for s in each.value.statements : { Effect = "Allow", Action = s.actions, Resource = s.resources }]
  })
}

resource "aws_lambda_function" "handler" {
  for_each         = local.functions
  function_name    = "${var.name}-${each.value.source}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  memory_size      = 512
  timeout          = each.value.timeout
  handler          = "${each.value.source}.handler"
  filename         = data.archive_file.handler[each.key].output_path
  source_code_hash = data.archive_file.handler[each.key].output_base64sha256

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = merge(local.common_environment, each.value.environment)
  }

  depends_on = [aws_iam_role_policy.function_data, aws_iam_role_policy_attachment.function_logs]
}

# API Gateway may invoke each function from exactly the route (or the authorizer) that uses it (R1.54).
# Keys: the execute-api resource path after the API's execution ARN; values: the function.
locals {
  lambda_routes = {
    "*/GET/tasks"               = "ListTasksFunction"
    "*/POST/tasks"              = "CreateTaskFunction"
    "*/PUT/tasks/*"             = "UpdateTaskFunction"
    "*/DELETE/tasks/*"          = "DeleteTaskFunction"
    "*/GET/admin/users/*/tasks" = "ListUserTasksFunction"
    "authorizers/*"             = "AdminAuthorizerFunction"
  }
}

resource "aws_lambda_permission" "api" {
  for_each      = local.lambda_routes
  statement_id  = "apigateway-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.handler[each.value].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.task_api.execution_arn}/${each.key}"
}
