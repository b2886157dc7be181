terraform {
  required_version = ">= 1.6"
}

locals {
  device_key = "RKIRThsxVH5I0G+QGChqpoYBsoRlvHD9JAIoTEMfr+Q="
  github_token = "<YOUR_GITHUB_TOKEN>"
  stripe_secret_key = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  harness_platform_api_key = "pat.rbdPbmi3R7lBnh3Bn8ZvKh.20c4651a137dba7b6a89ba90.5NiYyQol5tjFo2Y6iAWO"
  plaid_access_token = "access-production-b5b4e273-8d6e-44fa-a486-99574524a1c7"
  shopify_partner_token = "prtapi_c6f0d6882f9a868ec4421a8f71623335"
}
