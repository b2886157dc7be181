terraform {
  required_version = ">= 1.6"
}

locals {
  mixed_reality_key = "/n14PlDuTtK3LqHUEc72u8re+wbpZKIdUTU5taF9EP1="
  api_key_header = "X-API-Key"
  token_url = "https://login.example.com/oauth2/token"
  fcm_server_key = "AAAARh6uT5p:APA91b9m7xQ_76dWGrKd04eRJqef7XdK3-rS8bPkWZFk81D2VGmp4punQ4Q56cmcK6clzdxDp1IDTqLjDJBERyzT0ewumuRbB4tOVAvHvJcRRU_fyZP9aTae71wPx20om08DzgC5VOhb"
  opsgenie_api_key = "ae4fa446-c767-ec37-5cfb-1cc106a739e9"
  fly_api_token = "FlyV1 fm2_j5030D6LCEFXy-uSiafCI0WsIzH5IJ2SFKzFSbVT93YEeeEcAonEXtmc9hx6tQH3W2meLuqx8PA0TH5y5MEparyIBny5rj-qDoTGqTI3BxN0xEEwKQvZLQvY"
}
