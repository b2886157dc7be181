<?php

return [
    'vercel_token' => 'vcs_cmh80E5sLdjSH0oO3hom9TrRSJVXdfw133M5vkpu3X87VJq8rk4PB4qV',
    'mailgun_api_key' => 'key-b02166f863b36be9b157da494fb189ea',
    'api_key_header' => 'X-API-Key',
    'token_url' => 'https://login.example.com/oauth2/token',
    'typeform_token' => 'tfp_xRGsp-A6_kv8NNIUZ95tOcFwUh85XzKPNz1HO7BhwvRy',
    'voyage_key' => 'pa-Rj7hIQSztZattTlHBdWwolJG5cCGFMtMj_mYijDwUGo',
];
