# Photo-sharing app "Snapshots" written in Terraform: the same app and the same flaws as
# examples/insecure-app/template.yaml. Deliberately insecure: this is what cognito-guard is
# meant to catch.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

resource "aws_cognito_user_pool" "user_pool" {
  name                     = "snapshots-${var.stage}-users"
  mfa_configuration        = "OFF"
  auto_verified_attributes = ["email"]
  username_attributes      = ["email"]

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  password_policy {
    minimum_length    = 8
    require_lowercase = true
    require_uppercase = false
    require_numbers   = true
    require_symbols   = false
  }
}

resource "aws_cognito_identity_provider" "google" {
  user_pool_id  = aws_cognito_user_pool.user_pool.id
  provider_name = "Google"
  provider_type = "Google"

  provider_details = {
    client_id        = var.google_client_id
    client_secret    = "GOCSPX-example-not-a-real-secret-42"
    authorize_scopes = "openid email profile"
  }

  attribute_mapping = {
    email = "email"
  }
}

resource "aws_cognito_user_pool_client" "web" {
  user_pool_id                         = aws_cognito_user_pool.user_pool.id
  name                                 = "snapshots-web"
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["implicit", "code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO", aws_cognito_identity_provider.google.provider_name]
  callback_urls = [
    "https://snapshots.example.com/auth/callback",
    "http://snapshots.example.com/auth/callback",
  ]
  logout_urls = [
    "http://snapshots.example.com/",
  ]
  access_token_validity  = 24
  id_token_validity      = 24
  refresh_token_validity = 3650

  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }

  explicit_auth_flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}

resource "aws_cognito_user_pool_client" "mobile" {
  user_pool_id                         = aws_cognito_user_pool.user_pool.id
  name                                 = "snapshots-mobile"
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = ["snapshots://auth/callback"]
  auth_session_validity                = 15
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}

resource "aws_cognito_user_pool_client" "partner" {
  user_pool_id                         = aws_cognito_user_pool.user_pool.id
  name                                 = "snapshots-partner"
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = [var.partner_callback_url]
}

resource "aws_cognito_identity_pool" "identity_pool" {
  identity_pool_name               = "snapshots_identities"
  allow_unauthenticated_identities = true
  allow_classic_flow               = true

  cognito_identity_providers {
    client_id               = aws_cognito_user_pool_client.mobile.id
    provider_name           = aws_cognito_user_pool.user_pool.endpoint
    server_side_token_check = true
  }
}

resource "aws_cognito_identity_pool_roles_attachment" "identity_pool_roles" {
  identity_pool_id = aws_cognito_identity_pool.identity_pool.id

  roles = {
    authenticated   = aws_iam_role.authenticated.arn
    unauthenticated = aws_iam_role.guest.arn
  }
}

data "aws_iam_policy_document" "guest_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["cognito-identity.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "cognito-identity.amazonaws.com:aud"
      values   = [aws_cognito_identity_pool.identity_pool.id]
    }

    condition {
      test     = "ForAnyValue:StringLike"
      variable = "cognito-identity.amazonaws.com:amr"
      values   = ["unauthenticated"]
    }
  }
}

resource "aws_iam_role" "guest" {
  name               = "snapshots-${var.stage}-guest"
  assume_role_policy = data.aws_iam_policy_document.guest_trust.json
}

data "aws_iam_policy_document" "guest_uploads" {
  statement {
    effect = "Allow"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
    ]
    resources = ["*"]
  }

  statement {
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.authenticated.arn]
  }
}

resource "aws_iam_role_policy" "guest_uploads" {
  name   = "guest-uploads"
  role   = aws_iam_role.guest.id
  policy = data.aws_iam_policy_document.guest_uploads.json
}

resource "aws_iam_role" "authenticated" {
  name = "snapshots-${var.stage}-authenticated"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "cognito-identity.amazonaws.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals             = { "cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.identity_pool.id }
        "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "authenticated" }
      }
    }]
  })
}

resource "aws_iam_role_policy" "user_photos" {
  name = "user-photos"
  role = aws_iam_role.authenticated.id
  # $${...} is an IAM policy variable, not a Terraform interpolation.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "arn:aws:s3:::snapshots-${var.stage}-photos/private/$${cognito-identity.amazonaws.com:sub}/*"
    }]
  })
}

resource "aws_api_gateway_rest_api" "photos" {
  name = "snapshots-${var.stage}-api"
}

resource "aws_api_gateway_resource" "photos" {
  rest_api_id = aws_api_gateway_rest_api.photos.id
  parent_id   = aws_api_gateway_rest_api.photos.root_resource_id
  path_part   = "photos"
}

resource "aws_api_gateway_authorizer" "user_pool" {
  name            = "cognito"
  rest_api_id     = aws_api_gateway_rest_api.photos.id
  type            = "COGNITO_USER_POOLS"
  identity_source = "method.request.header.Authorization"
  provider_arns   = [aws_cognito_user_pool.user_pool.arn]
}

resource "aws_api_gateway_method" "list_photos" {
  rest_api_id   = aws_api_gateway_rest_api.photos.id
  resource_id   = aws_api_gateway_resource.photos.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.user_pool.id
}

resource "aws_api_gateway_method" "delete_photo" {
  rest_api_id   = aws_api_gateway_rest_api.photos.id
  resource_id   = aws_api_gateway_resource.photos.id
  http_method   = "DELETE"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "export_photos" {
  rest_api_id      = aws_api_gateway_rest_api.photos.id
  resource_id      = aws_api_gateway_resource.photos.id
  http_method      = "POST"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_apigatewayv2_api" "events" {
  name          = "snapshots-${var.stage}-events"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "events_jwt" {
  api_id           = aws_apigatewayv2_api.events.id
  name             = "cognito-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = [aws_cognito_user_pool_client.web.id]
    issuer   = "https://${aws_cognito_user_pool.user_pool.endpoint}"
  }
}

resource "aws_apigatewayv2_route" "post_event" {
  api_id             = aws_apigatewayv2_api.events.id
  route_key          = "POST /events"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.events_jwt.id
}

resource "aws_apigatewayv2_route" "admin_stats" {
  api_id             = aws_apigatewayv2_api.events.id
  route_key          = "GET /admin/stats"
  authorization_type = "NONE"
}
