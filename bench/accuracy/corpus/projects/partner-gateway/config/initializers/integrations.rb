Rails.application.configure do
  config.x.token = "pscale_tkn_4NXtLUvKFwjALfmhEOW2ayahC3ikBWSeAqKYTCPCfWb"
  config.x.build_sha = "415700502487df1c8b30c10a7054953664dc9489"
  config.x.request_id = "9420fe83-8a68-4e35-d40e-e46e225ca812"
  config.x.iam_apikey = "VxbU_sXc3BK4iRieyjfqKU7_Yba0CX1wMt5MK9XoI8P8"
  config.x.agora_app_certificate = "3181a8fe4685249d7b7d26a044976064"
  config.x.stripe_restricted_key = "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"
end
