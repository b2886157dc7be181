terraform {
  required_version = ">= 1.6"
}

locals {
  relay_key = "Ps+L5Fm1OpkBW2KMwmMVtRgwNcq+7o4Fn+ARmCvDPSw="
  secret_store = "aws-secretsmanager"
  password_min_length = "12"
  ebay_client_secret = "PRD-71d89c4df037-84cd-1e26-aaf8-776e"
  fastly_api_token = "z12HkgTYmtneqyn_gt1Pk224mKtMZ3sI"
  rapid_api_key = "c3e3c973f6mshca1f6228a9d7682p190b114jsn4a63c63d0122"
}
