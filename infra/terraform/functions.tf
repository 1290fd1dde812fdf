# The Lambda functions of template.yaml, from the same esbuild bundles as the CDK stack (npm run bundle),
# each with exactly the data access its SAM counterpart has. `apis` says which API variant deploys it
# (template.yaml's `Condition: HttpApiSelected`): the HTTP API has no DynamoDB or mock integrations,
# so getTask and getHealth are functions there.

locals {
  bundle_dir = coalesce(var.bundle_dir, "${path.module}/../build/functions")

  tasks_table_arn = aws_dynamodb_table.tasks.arn
  admin_jwt_arn   = aws_secretsmanager_secret.signing_key["admin_jwt"].arn
  cursor_arn      = aws_secretsmanager_secret.signing_key["cursor_signing"].arn

  # Keys are the logical names the contract's integration URIs use (${ListTasksFunction.Arn}).
  all_functions = {
    ListTasksFunction = {
      apis        = ["REST", "HTTP"]
      source      = "listTasks"
      handler     = "listTasks.handler"
      description = "GET /tasks (listTasks)"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, CURSOR_SECRET_ID = local.cursor_arn }
      statements = [
        { actions = ["dynamodb:Query"], resources = [local.tasks_table_arn, "${local.tasks_table_arn}/index/byStatus"] },
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.cursor_arn] },
      ]
    }
    CreateTaskFunction = {
      apis        = ["REST", "HTTP"]
      source      = "createTask"
      handler     = "createTask.handler"
      description = "POST /tasks (createTask), idempotent with Idempotency-Key"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, IDEMPOTENCY_TABLE_NAME = aws_dynamodb_table.idempotency.name }
      statements = [
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [local.tasks_table_arn] },
        { actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [aws_dynamodb_table.idempotency.arn] },
      ]
    }
    # The same file serves both: the REST non-proxy integration and the HTTP API's proxy integration.
    UpdateTaskFunction = {
      apis        = ["REST", "HTTP"]
      source      = "updateTask"
      handler     = local.http_api ? "updateTask.proxy" : "updateTask.handler"
      description = local.http_api ? "PUT /tasks/{taskId} (updateTask), Lambda proxy integration" : "PUT /tasks/{taskId} (updateTask), non-proxy integration with mapping templates"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name }
      statements = [
        { actions = ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources = [local.tasks_table_arn] },
      ]
    }
    DeleteTaskFunction = {
      apis        = ["REST", "HTTP"]
      source      = "deleteTask"
      handler     = "deleteTask.handler"
      description = "DELETE /tasks/{taskId} (deleteTask)"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name }
      statements = [
        { actions = ["dynamodb:DeleteItem", "dynamodb:GetItem"], resources = [local.tasks_table_arn] },
      ]
    }
    ListUserTasksFunction = {
      apis        = ["REST", "HTTP"]
      source      = "listUserTasks"
      handler     = "listUserTasks.handler"
      description = "GET /admin/users/{userId}/tasks (listUserTasks), admin only"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name, CURSOR_SECRET_ID = local.cursor_arn }
      statements = [
        { actions = ["dynamodb:Query"], resources = [local.tasks_table_arn, "${local.tasks_table_arn}/index/byStatus"] },
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.cursor_arn] },
      ]
    }
    AdminAuthorizerFunction = {
      apis        = ["REST", "HTTP"]
      source      = "adminAuthorizer"
      handler     = "adminAuthorizer.handler"
      description = local.http_api ? "Lambda REQUEST authorizer (payload 1.0) of the admin routes" : "Lambda TOKEN authorizer of the admin routes"
      memory_size = 512
      timeout     = 5
      environment = { ADMIN_JWT_SECRET_ID = local.admin_jwt_arn }
      statements = [
        { actions = ["secretsmanager:GetSecretValue"], resources = [local.admin_jwt_arn] },
      ]
    }
    GetTaskFunction = {
      apis        = ["HTTP"]
      source      = "getTask"
      handler     = "getTask.handler"
      description = "GET /tasks/{taskId} (getTask), HTTP API only (the REST API reads DynamoDB itself)"
      memory_size = 512
      timeout     = 10
      environment = { TASKS_TABLE_NAME = aws_dynamodb_table.tasks.name }
      statements = [
        { actions = ["dynamodb:GetItem"], resources = [local.tasks_table_arn] },
      ]
    }
    GetHealthFunction = {
      apis        = ["HTTP"]
      source      = "getHealth"
      handler     = "getHealth.handler"
      description = "GET /health (getHealth), HTTP API only (the REST API answers it with a mock)"
      memory_size = 128
      timeout     = 10
      environment = {}
      statements  = []
    }
  }
  # The functions the selected API variant invokes.
  functions = { for name, fn in local.all_functions : name => fn if contains(fn.apis, var.api_type) }

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

# A function with no data access (getHealth) has no policy: IAM refuses a policy without statements.
resource "aws_iam_role_policy" "function_data" {
  for_each = { for name, fn in local.functions : name => fn if length(fn.statements) > 0 }
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
  memory_size      = each.value.memory_size
  timeout          = each.value.timeout
  handler          = each.value.handler
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

# API Gateway may invoke each function from exactly the route (or the authorizer) that uses it (R1.54,
# H1.8), on whichever API is deployed (as template.yaml's permissions, an !If on HttpApiSelected).
# Keys: the execute-api resource path after the API's execution ARN; values: the function. The HTTP
# API's routes are local.http_api_lambda_routes (http_api.tf).
locals {
  lambda_routes = {
    "*/GET/tasks"               = "ListTasksFunction"
    "*/POST/tasks"              = "CreateTaskFunction"
    "*/PUT/tasks/*"             = "UpdateTaskFunction"
    "*/DELETE/tasks/*"          = "DeleteTaskFunction"
    "*/GET/admin/users/*/tasks" = "ListUserTasksFunction"
    "authorizers/*"             = "AdminAuthorizerFunction"
  }
  api_execution_arn = one(concat(aws_api_gateway_rest_api.task_api[*].execution_arn, aws_apigatewayv2_api.task_api[*].execution_arn))
}

# Switching api_type replaces a permission whose route both APIs have (its source ARN changes), the
# old one deleted first: the statement id can stay.
resource "aws_lambda_permission" "api" {
  for_each      = local.rest_api ? local.lambda_routes : local.http_api_lambda_routes
  statement_id  = "apigateway-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.handler[each.value].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${local.api_execution_arn}/${each.key}"
}
