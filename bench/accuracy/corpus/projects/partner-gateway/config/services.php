<?php

return [
    'token' => 'pscale_tkn_4NXtLUvKFwjALfmhEOW2ayahC3ikBWSeAqKYTCPCfWb',
    'iam_apikey' => 'VxbU_sXc3BK4iRieyjfqKU7_Yba0CX1wMt5MK9XoI8P8',
    'etag' => '8b612b52b0be60b61d3ed688ebde2a28',
    'artifact_sha256' => '715b6e237f3c084519c84f0f34bb1a597d00703b958378c46ffb1be090ea481b',
    'mandrill_api_key' => 'koTbwGwgHpvQSEPEER_ku7',
    'sslmate_api_key' => 'q793lK5TU7VRRapIYV9x9VHDVornucRl',
];
