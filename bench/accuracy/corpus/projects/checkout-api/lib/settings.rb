SMTP_PASSWORD = ENV.fetch("SMTP_PASSWORD", "Haple1305*canyon")
config.pw = "Paffron6266-harbor"
config.passwd = "mSJpPNs5KMadU9^0"
config.pass = "falcon+Qaple57"
config.smtp_auth = "NRtNecWUzaxnnE@0"
config.authorization = "qj3bw2m1flsof7vwsrm5aurx1waei0z4"
config.authenticity_token = form_authenticity_token
