Rails.application.configure do
  config.x.vercel_token = "vcp_xaLWvTjzFX4Yx6cuLM927gxzk0oKjykSyK4JNjmjnSW2sR7X6OUYcCUl"
  config.x.password_reset_timeout = "3600"
  config.x.etag = "9f68aa928cf713198e61d1391258e3ad"
  config.x.linkedin_secret = "WPL_AP1.S4UD6II1LMokJ34s.SOzCB6J8"
  config.x.polar_customer_session = "polar_cst_b6WM5Zc1575i9jwblhIEOGn2yQomLLAnJhTNcsbe5Xq"
  config.x.trigger_secret_key = "tr_prod_iMEz8vqgj897o7e94wMY5pVT"
end
