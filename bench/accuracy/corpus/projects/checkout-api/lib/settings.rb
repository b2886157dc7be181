SMTP_PASSWORD = ENV.fetch("SMTP_PASSWORD", "Maple5055!willow")
config.pw = "ZZvSKxvEDdEaFq@2"
config.passwd = "hqYqoeKC7bEfL7@1"
config.pass = "Ember6467.juniper"
config.smtp_auth = "otter%Granite29"
config.authorization = "oejmrtrsiv3uec2ogbt9q324ugk5g8pf"
config.authenticity_token = form_authenticity_token
