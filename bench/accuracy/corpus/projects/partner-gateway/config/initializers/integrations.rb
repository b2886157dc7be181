Rails.application.configure do
  config.x.jenkins_api_token = "11defab8d55b2d45a5f4428110686c3601"
  config.x.build_sha = "415700502487df1c8b30c10a7054953664dc9489"
  config.x.request_id = "9420fe83-8a68-4e35-d40e-e46e225ca812"
  config.x.hop_token = "pat_2HbqHQnN3L9otCPI6zDWNQTFX8uVugcAE1VhpwPV"
  config.x.mailersend_api_key = "mlsn.6293cec83bb9017ed8b9a3686fae7fbfe8dedf9f3f38199c86d02f9cac19c3f9"
  config.x.subscription_token = "sgs_620eb291f6f2a4295aca74a939b058f2f0e1064ff6f751d2ddd97f36d2742bbd"
end
