# Usage plans and their API keys (template.yaml: BasicUsagePlan, PremiumUsagePlan, keys), REST API only:
# HTTP APIs have neither. Which methods need a key is decided by the contract (security: ApiKey).

locals {
  usage_plans = {
    basic   = { description = "Basic tier", burst_limit = 100, rate_limit = 50, quota = 10000 }
    premium = { description = "Premium tier", burst_limit = 500, rate_limit = 250, quota = 1000000 }
  }
}

resource "aws_api_gateway_usage_plan" "plan" {
  for_each    = local.rest_api ? local.usage_plans : {}
  name        = "${var.name}-${each.key}"
  description = each.value.description

  api_stages {
    api_id = aws_api_gateway_rest_api.task_api[0].id
    stage  = aws_api_gateway_stage.task_api[0].stage_name
  }

  throttle_settings {
    burst_limit = each.value.burst_limit
    rate_limit  = each.value.rate_limit
  }

  quota_settings {
    limit  = each.value.quota
    period = "MONTH"
  }
}

resource "aws_api_gateway_api_key" "key" {
  for_each    = local.rest_api ? local.usage_plans : {}
  name        = "${var.name}-${each.key}"
  description = "API key of the ${title(each.key)} usage plan"
  enabled     = true
}

resource "aws_api_gateway_usage_plan_key" "key" {
  for_each      = local.rest_api ? local.usage_plans : {}
  key_id        = aws_api_gateway_api_key.key[each.key].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.plan[each.key].id
}
