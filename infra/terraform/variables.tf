# The same settings, defaults and constraints as template.yaml's Parameters (and infra/cdk/settings.ts).

variable "name" {
  description = "Name prefix of every resource (what AWS::StackName is in the SAM and CDK stacks)."
  type        = string
  default     = "task-api"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and hold at most 40 letters, digits and hyphens."
  }
}

variable "api_type" {
  description = "REST: API Gateway REST API (API keys, usage plans, validation, caching, WAF). HTTP: the HTTP API variant (JWT authorizer on the same user pool, none of those). template.yaml's ApiType."
  type        = string
  default     = "REST"

  validation {
    condition     = contains(["REST", "HTTP"], var.api_type)
    error_message = "api_type must be REST or HTTP."
  }
}

variable "stage_name" {
  description = "API Gateway stage name (first path segment of the invoke URL)."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must match ^[A-Za-z0-9_-]{1,128}$."
  }
}

variable "allowed_origin" {
  description = "The one origin browsers may call the API from (CORS). The API never sends Access-Control-Allow-Credentials, so '*' is allowed but not recommended."
  type        = string
  default     = "http://localhost:5173"

  validation {
    # Written into the API body between single quotes: no quote or other character may break out.
    condition     = can(regex("^(\\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)$", var.allowed_origin))
    error_message = "allowed_origin must be '*' or scheme://host[:port]."
  }
}

variable "log_level" {
  description = "POWERTOOLS_LOG_LEVEL of every function."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide steady-state requests per second, per method."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_rate_limit >= 0
    error_message = "throttling_rate_limit must not be negative."
  }
}

variable "throttling_burst_limit" {
  description = "Stage-wide burst, per method."
  type        = number
  default     = 200

  validation {
    condition     = var.throttling_burst_limit >= 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number, not negative."
  }
}

variable "enable_caching" {
  description = "Provision the stage cache (REST API only). Only GET /health is cached: every other answer depends on the caller, and API Gateway's cache key does not include the caller unless configured to."
  type        = bool
  default     = false
}

variable "cache_ttl_seconds" {
  description = "Time to live of the cached GET /health answer."
  type        = number
  default     = 60

  validation {
    condition     = var.cache_ttl_seconds >= 0 && var.cache_ttl_seconds <= 3600
    error_message = "cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "enable_waf" {
  description = "Associate a WAFv2 web ACL (managed rules and a per-IP rate limit) with the stage (REST API only: an HTTP API cannot have one)."
  type        = bool
  default     = false
}

variable "waf_rate_limit_per_5min" {
  description = "Requests per IP in 5 minutes before the web ACL blocks that IP."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit_per_5min >= 100
    error_message = "waf_rate_limit_per_5min must be at least 100."
  }
}

variable "log_retention_days" {
  description = "Retention of the API access logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 180, 365], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 180, 365."
  }
}

variable "bundle_dir" {
  description = "Folder of the esbuild bundles (npm run bundle), one sub-folder per handler."
  type        = string
  default     = null
}
