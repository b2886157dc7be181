terraform {
  required_version = ">= 1.6"
}

locals {
  relay_key = "Ps+L5Fm1OpkBW2KMwmMVtRgwNcq+7o4Fn+ARmCvDPSw="
  secret_store = "aws-secretsmanager"
  password_min_length = "12"
  fieldguide_api_key = "EJ61TdK4ri0DdhzhVIP6aY4E9N58jJfBd9JTfKBP6EjHtkDt"
  ncloud_access_key_id = "ncp_iam_AATQMEceCagJBnpyvXWj"
  sanity_api_token = "sk6T4nT42gaJrw4nIPMTIfhUMgJYUWFbg0p3Gm7VpDWZakrDcWoqYxeaNULau85FUNOV4fVjDor9TUJugwtuU0zoQBJrC86kHJ5kidAkIHLi62lg9rQNsOa6ckEDnZr6GdZsggA9U7guGwRe7WO2FLiyr1LYM12oSzZORN28mye1cBbIFFmbgl"
}
