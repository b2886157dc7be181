#include <curl/curl.h>
void upload(CURL *curl) {
  curl_easy_setopt(curl, CURLOPT_USERPWD, "uploader:9qZMGNA8BggidN%9");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "Hmber6434^otter");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, getenv("UPLOAD_PASSWORD"));
}
