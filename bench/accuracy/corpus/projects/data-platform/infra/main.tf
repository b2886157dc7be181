terraform {
  required_version = ">= 1.6"
}

locals {
  api_key = "lM3VIKf8i09ObPnZyAxkb0UOimzLMIoZZaOXYN4axuMVrABH3EBpA/mHj0XHFPPxsDt7lLP4ud/E+AMC5S83rA=="
  openai_api_key = "sk-..."
  slack_bot_token = "xoxb-your-bot-token"
  do_spaces_secret = "ioWADTqIiQQxBJPX4LCIioSBHSoWQEdoJaDE4JrhZWy"
  mergify_api_key = "mka_oifB8eZZfDj4ylu7MwC8AVM1IFenyrCtnMMyO3xX"
  postman_api_key = "PMAK-df44de764aa2a566f8062421-6f49bab34def8f625533a0d0ca2756df36"
  surge_token = "1276296c3e404dbeea371a0e8db3914e"
}
