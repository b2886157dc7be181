SMTP_PASSWORD = ENV.fetch("SMTP_PASSWORD", "juniper-Granite61")
config.pw = "otter@Saffron68"
config.passwd = "juniper+Maple15"
config.pass = "Granite9986!otter"
config.smtp_auth = "willow@Canyon79"
config.authorization = "f8jic12oaly5uwt4usyz8dpgdychnhac"
config.authenticity_token = form_authenticity_token
