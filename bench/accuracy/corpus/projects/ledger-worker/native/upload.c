#include <curl/curl.h>
void upload(CURL *curl) {
  curl_easy_setopt(curl, CURLOPT_USERPWD, "uploader:willow%Quartz85");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "tundra+Canyon10");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, getenv("UPLOAD_PASSWORD"));
}
