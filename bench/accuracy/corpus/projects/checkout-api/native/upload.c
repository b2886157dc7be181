#include <curl/curl.h>
void upload(CURL *curl) {
  curl_easy_setopt(curl, CURLOPT_USERPWD, "uploader:j7NkkDs3nENzbc-1");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "Willow4600_cobalt");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, getenv("UPLOAD_PASSWORD"));
}
