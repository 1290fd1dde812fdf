# Cognito user pool and web client, and the generated signing keys (template.yaml: Identity).

resource "aws_cognito_user_pool" "users" {
  name                     = "${var.name}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length    = 8
    require_lowercase = true
    require_numbers   = true
    require_uppercase = false
    require_symbols   = false
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {}
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name                          = "${var.name}-web"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  id_token_validity             = 60
  access_token_validity         = 60
  refresh_token_validity        = 30

  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "days"
  }
}

locals {
  # Secret → its description; each holds {"signingKey": <64 letters and digits>}.
  signing_keys = {
    admin_jwt      = "Signing key of admin tokens checked by the Lambda authorizer"
    cursor_signing = "HMAC key of the opaque pagination cursors"
  }
}

resource "aws_secretsmanager_secret" "signing_key" {
  for_each    = local.signing_keys
  name_prefix = "${var.name}-${replace(each.key, "_", "-")}-"
  description = each.value
}

# Generated at apply time and written through a write-only argument: the key is in neither plan nor
# state, as CloudFormation's GenerateSecretString keeps it out of the template.
ephemeral "random_password" "signing_key" {
  for_each = local.signing_keys
  length   = 64
  special  = false
}

resource "aws_secretsmanager_secret_version" "signing_key" {
  for_each                 = local.signing_keys
  secret_id                = aws_secretsmanager_secret.signing_key[each.key].id
  secret_string_wo         = jsonencode({ signingKey = ephemeral.random_password.signing_key[each.key].result })
  secret_string_wo_version = 1
}
