Rails.application.configure do
  config.x.vercel_token = "vcp_xaLWvTjzFX4Yx6cuLM927gxzk0oKjykSyK4JNjmjnSW2sR7X6OUYcCUl"
  config.x.password_reset_timeout = "3600"
  config.x.etag = "9f68aa928cf713198e61d1391258e3ad"
  config.x.linkedin_secret = "WPL_AP1.S4UD6II1LMokJ34s.SOzCB6J8"
  config.x.posthog_key = "phr_14iLLUhcmrq3SAQWwKRYqWr3NMxQ2P5JabfPVZUQ7BT"
  config.x.valtown_token = "vtwn_ROO8uzZ719HkOfuDqXOwpAf2ZJZE"
end
