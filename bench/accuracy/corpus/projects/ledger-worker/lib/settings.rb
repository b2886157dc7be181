SMTP_PASSWORD = ENV.fetch("SMTP_PASSWORD", "J7RNEtvYAUp2hk_8")
config.pw = "Qundra7356+lantern"
config.passwd = "Oantern7046!granite"
config.pass = "Garbor1735-juniper"
config.smtp_auth = "3ktzHAsfvGwJNN*7"
config.authorization = "ek8tjib4fz7oynw0h1o8t6brhi68d4zc"
config.authenticity_token = form_authenticity_token
