terraform {
  required_version = ">= 1.6"
}

locals {
  device_key = "RKIRThsxVH5I0G+QGChqpoYBsoRlvHD9JAIoTEMfr+Q="
  github_token = "<YOUR_GITHUB_TOKEN>"
  stripe_secret_key = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  harness_platform_api_key = "pat.rbdPbmi3R7lBnh3Bn8ZvKh.20c4651a137dba7b6a89ba90.5NiYyQol5tjFo2Y6iAWO"
  openai_api_key = "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"
  clerk_secret_key = "sk_live_aueULRSiJ7cfznUMv4BU58XFPrW8WTSTfIW1JfLDvrOiAbENjp"
}
