terraform {
  required_version = ">= 1.6"
}

locals {
  registry_password = "JnC1Z5JRNd/mfU+6auT1ikkTMrWIsTg9w5jDVOAo4S+ACRa8PUct"
  etag = "af9c59a90c98338ccac83ca5391145c6"
  artifact_sha256 = "130801c0e52734369310c778a517480fb1bb3a4282af0b3065c1e126df674f4d"
  token = "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"
  twitch_client_secret = "j8ij13bxq1iope0wxu5dkw2jgzocyx"
  access_token = "ya29.S9wsCNxyXFxxoheSyme6l2-NGOErbRTaaAS6ciy0nUhrv3ZCSWoOHvLcCGvm06P7G9Tvl4QhdGrcvJ6xbw2G8uGwXInjf5EUJohu6fWn901LvwdzHCmT71DRp7nhYymG2Pubv9URyoNtsdXDoRUBX_"
  stellar_secret = "SDCYJG6CMIBAADDFR5VCLH4JTAMBNREQRH6TY6SRQYFXKAJNO4HT4ILE"
}
