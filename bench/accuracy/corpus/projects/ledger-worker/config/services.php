<?php

return [
    'clarifai_pat' => '0b40f09b49cd4401409adb093919cdee',
    'klaviyo_private_key' => 'pk_334abc79f529522ffc2216e1dc728796d9',
    'request_id' => '761109c2-ce13-4474-5735-607682f0ec71',
    'client_id' => '1e0b95a7-f9c9-4b0c-82d1-5ccbe6d4d5a4',
    'segment_write_key' => 'UbnzKO0euHuEvR8S9MxGAHqWxGR9k9b2',
    'volcengine_secret_key' => 'HKL0XeAdVPT9MOZyXxN5XYwrD3PbRIqaDBC6ArIjYBW==',
];
