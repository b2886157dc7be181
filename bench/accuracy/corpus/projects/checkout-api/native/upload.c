#include <curl/curl.h>
void upload(CURL *curl) {
  curl_easy_setopt(curl, CURLOPT_USERPWD, "uploader:Mranite2245#lantern");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "ErBKBFj3tnMrwh%4");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, getenv("UPLOAD_PASSWORD"));
}
