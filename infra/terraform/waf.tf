# WAFv2 web ACL on the stage, when enable_waf (template.yaml: WebAcl, WebAclAssociation; I12.13). REST
# API only, as template.yaml's WafEnabled: an HTTP API cannot be associated with a web ACL (W1.3).

resource "aws_wafv2_web_acl" "tasks" {
  count = var.enable_waf && local.rest_api ? 1 : 0
  name  = "${var.name}-tasks"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-common"
    priority = 0

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-per-ip"
    priority = 2

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5min
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-tasks"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "stage" {
  count        = var.enable_waf && local.rest_api ? 1 : 0
  resource_arn = aws_api_gateway_stage.task_api[0].arn
  web_acl_arn  = aws_wafv2_web_acl.tasks[0].arn
}
