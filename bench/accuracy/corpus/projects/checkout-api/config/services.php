<?php

return [
    'cloudflare_api_key' => 'ca7f5e6b2536e95400c86e28b7d0b495531bd',
    'jwt' => 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxODkzNDU2MDAwfQ.ON1gHmftfKycduneYGR5O3Cfmi31AB4okM2j4o4Cv3d',
    'aws_secret_access_key' => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws_access_key_id' => 'AKIAIOSFODNN7EXAMPLE',
    'razorpay_key_secret' => 'PgeF8xQ5m10c3oYn0l7QBxAL',
    'clubhouse_token' => 'de56ef32-12ba-13a1-3b33-e8b3affa388f',
];
