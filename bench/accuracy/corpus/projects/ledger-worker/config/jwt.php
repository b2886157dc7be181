<?php
$key = "-----BEGIN RSA PRIVATE KEY-----\n" .
  "MIIEpAIBAAKCAQEASjXCvh6fJ+HC0hMpfdlZMEUobYCenctaMUBxFRrW2dZ3Typw\n" .
  "1hxN2wGxaGKXJgUsRe/5rEvLwR4XyYANnyRX0QHEoeC09VbKXQCrpEueqdSZMxDc\n" .
  "0WDfHLO4sMU1QJ+doxxTcMoPwJoEDaGRdEVKJ1Yhlmc+Gg8ZLI6+3oL3xCdDrYCZ\n" .
  "M71MQiagydj3bQO/3FE9NZkJsHTxiWb4LMuBzfPOVNltt8/ecqulfsOOAByqxasO\n" .
  "RO58bb2hqFmAnpZTEwD6DJ4yhT1IG6NXnAmT+UEQYZLM8m+eLCdJeIYFvZd+jrfA\n" .
  "w6i/PyDkIFH02dXumGVkLnhq4y9IEsTNk9u+fmFY3gF36foP4JtabnLz6UGje2dO\n" .
  "sT/iC7ai0VVMCadZnqNCftSNrv5IYZLgJ47icAf3O467DuaWu0R48f0w46oFZGzQ\n" .
  "2xIVfDvobyqhMTGevVBOkuYAEtdT/c9/oWSwvzp2ejJcuebxz5DYfLHgsEjJcUkR\n" .
  "MhFeGRHAPKLyxdV3ploMyNRpPYnoMwPQvCLgx598tvu8J0q+Pu0Y5WZYKCMeNnos\n" .
  "DDJLY5PwhURLL4cp4Mf26PZ/qe1PzQoHi83k4F5XeaTxaXTrCiI65QjaxagCoQXn\n" .
  "0YmgYjNwBN5VEhWqX5sd+tO32TFMUeiQg/TVF/QlOWswVewtA2/5aHSAa+A0n/Gs\n" .
  "qe1765wdxygcpREdvLjKloP+Vxnoou/sKxAXVc4F61gkIg26oYL+86qOfzN1Ur5B\n" .
  "CcH31NVksedETKLWvz6kn4D9OFrwq+k6Au45mVQShw6DBOMtoIiybduBJpRUQjpz\n" .
  "y7+05DzxS1GJMFDJYBhijqhW93rQEtRJMnqtclOPL3uSiSSDx579QTzbKlh8mz/D\n" .
  "EPB9OTgF5qzFq6vS4poSs7GwBCclM99urL621oa9+8q98NznqABC1IwhfBsp8p67\n" .
  "iLqBJYjo3Ya8j+wyZKLh71dYsrYsGWllGa5/iKhzil3bv/p/MzA9crXfNObyGciw\n" .
  "wqLAws6fYBZ9dSaFU5rOCkcQgpNTS95IeX07SYWTqgoHEjgKyLR+Dq6pmmB25OBl\n" .
  "g8AxTTjGI51/5l8cMjiIzY5Q6kcnuuOfHFLAAAvtOW+RcKHqcSJCAEEfJFPQRz68\n" .
  "GtEgXI+umnPLeob5lcOKNVGdYGjiGQ8C9wMvPHPNTAQmcrQlTm9dXZfv7SP+5KUK\n" .
  "wvZlubuVhtQQZSZDNhuo2uJFRELCa/+V+T5/oEKkheCZ3k4bg9c1j8YxHD3OK68O\n" .
  "Oh+r5BpTAVzMme1C+iWROfIeqhTk3p0bPS5IsLsVRLoa11c5yZFN+JPS80drccMq\n" .
  "/7t0VQAL/jFcyXKAEqUSv8jhS5rl89TAIGag7hsNoDWc9YVHhUYcxDKxsfWDYH/Z\n" .
  "3F9Q6DJDPDN06v7Hl+P7XibZdqJ5BrsrSzXRAQzzK4/Krl4+krab2mPxt+/bPYE3\n" .
  "964oSJgIR1R076NgZNucNpZzz0gAro49s7FVHxEDTouqEH+5PHlzPD+YY8AmowDz\n" .
  "6WaWHTnXdspcw6+c5VYsRIn9lqc3oDeQPa49vswTDQubqhImhbpx65LZ+MlEg3Kt\n" .
  "D4g=\n" .
  "-----END RSA PRIVATE KEY-----\n";
