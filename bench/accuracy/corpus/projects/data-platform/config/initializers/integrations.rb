Rails.application.configure do
  config.x.cko_secret_key = "sk_sbox_io6anvyfgag53c3ngxdpiultfsp"
  config.x.auth_token_type = "urn:ietf:params:oauth:token-type:jwt"
  config.x.api_key_header = "X-API-Key"
  config.x.groq_api_key = "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"
  config.x.paddle_api_key = "pdl_sdbx_apikey_54o884yhl36j308wzn26k6i45u_YL1zHd0fVduhr1HXSN9qWU_pzb"
  config.x.intercom_token = "dG9rOtajrCZOg3f9eDcMu5aDT3H/JcMurJseYOSRi+6wrsH88Jv/y5uEcwSk="
end
