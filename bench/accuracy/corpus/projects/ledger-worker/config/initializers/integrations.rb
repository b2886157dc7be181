Rails.application.configure do
  config.x.vercel_refresh_token = "vcr_PxylYMLQ9YCtqymLdNXYsvsD7lT90DHM98uaLpcMvYhDTFihVdrMWNzV"
  config.x.tenant_id = "ee161eaa-63d0-473a-8e57-8ba8aac7da40"
  config.x.aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  config.x.huggingface_token = "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"
  config.x.qdrant_key = "HCtPkjkibx-oHd9G5HY2TTpyYVirUFJie8JYzgu1jU5raznP"
  config.x.twilio_api_key = "SKfbe283cb0821dc431f23b6a9b95a1565"
end
