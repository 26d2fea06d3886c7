variable "stage" {
  type    = string
  default = "prod"
}

variable "google_client_id" {
  type    = string
  default = "1234567890-abcdefg.apps.googleusercontent.com"
}

# Callback of the partner portal; supplied at deploy time (-var or a .tfvars file).
variable "partner_callback_url" {
  type = string
}
