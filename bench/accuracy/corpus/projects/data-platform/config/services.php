<?php

return [
    'netlify_token' => 'nfp_DkrFNyeD8V6gqijHDuy7mBSyiPrykmwlD6lj',
    'helicone_api_key' => 'sk-helicone-jzzbao5-7ofps24-ursg4bo-izugkxy',
    'secret_store' => 'aws-secretsmanager',
    'password_min_length' => '12',
    'plaid_secret' => '8cb50011d30766a8b2a149100dd398',
    'sfmc_access_token' => 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjQiLCJ2ZXIiOiIxIiwidHlwIjoiSldUIn0.eyJlbnRlcnByaXNlX2lkIjoiNjcxMTE2ODUzIiwiY2xpZW50X2lkIjoicDd1Zml6dm54dzBiMHZyenN5OHh4YTNpIiwiZXhwIjoxNzY3MjI1NjAwfQ.eR9w9fevdX6HcLFyJV8fc9cXn0MqejszJ3E96Q2og8F',
];
