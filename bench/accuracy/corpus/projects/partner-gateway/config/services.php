<?php

return [
    'clickhouse_key_secret' => '4b1dhU4PF75R6ycX2IBz1ZJSJTLAA0TRwGoNmpXqKT',
    'hf_org_token' => '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',
    'etag' => '8b612b52b0be60b61d3ed688ebde2a28',
    'artifact_sha256' => '715b6e237f3c084519c84f0f34bb1a597d00703b958378c46ffb1be090ea481b',
    'coda_api_token' => '7113273f-414d-3979-6d57-bd0f52642dc9',
    'teamcity_token' => 'eyJ0eXAiOiAiVENWMiJ9.wwwmXRzcTLmcRiyu5JiXzOzEFJaMj1ndy5uJ.2dl5e2GQ0wMQp6a_ioHjciCcuw63Tflz2B1TqvgEgv5B8zhMoNpEIr7YoFQjWqFGN8dIMRUU',
];
