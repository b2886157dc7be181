"""Keys for the token service tests."""

import jwt

# Public half, safe to commit.
PUBLIC_KEY = (
    "-----BEGIN PUBLIC KEY-----\n"
    "/ErU+yDEMbioa2aJZ2YcA3rNpDSstqprlxfWDMJ7osL+2Xnaj+ae2umMNRajGp9L\n"
    "Mfv2eb4HGj4iFzYhKvhZ0XZ+uT6Pm0ZK83VKp/XF083zKpfe8LXt4xwiD2qmaWuv\n"
    "cZD9VEpguMGBlyK8HUMsU97wYwtZI3GcxPel0+YirVmt8xWEEfSq4jF3toEBtwkO\n"
    "VZMtIGt4/N7QU4PjAmYo8dK+WeCg5yzXK2jA/KAwc56OzzopuZgDO70KIPEiSU8y\n"
    "0b114TvkYykO0+mrspFlAtP7UBE0HSqhEuCZDrAZWChOnCJWvRpdxoUMRJEaF+r8\n"
    "HPYnOHSJ2SK6kQ8O4oumCWP2kGjed560zohqyIqSxGCwjVhy6At2JyCsNtwODmIw\n"
    "XxNiYstw\n"
    "-----END PUBLIC KEY-----\n"
)

PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "rVs8FXnFN33SZ0/LwclZe2lfevcBaHlzpq/ETTvMvAMsomgTvEVete1axqCJccoq\n"
    "QdUg4SVNShw3Qa/uFw2Jp9XWXtuQE3VPUgd9RiFJ1FpLjaWs5VIfuqkCWb4fe+eH\n"
    "V3iKlLweAaw04aR6s5h1BC+r/q6qr1DDcg0hurA7qcANN0fUIXTwcRHaXEeXLBro\n"
    "tlXz3/4xD1f5oy0MvU5z7ulivUhdMekRZVOWmPVHVfJqj3RfY3JOkI+EqHThW8O9\n"
    "ZcTa2+M454DkGrOz1ef3knIu7ki0Z6GbP53bNCoST5hnPF7E/Ao4nG7XEy+JfYu9\n"
    "QTZXZCI7Clz38b3wGbl5LgpQ/wIXbUdiifsiqHYpUUImPERBpS+xJEh5vQvoGPza\n"
    "Scr+ES3HNCeBOmVYTb6wKVcmC5fqvPb9fD80yFebgyD1Px289w/VaMtAa+Bp5DwW\n"
    "vQbptPrxJXh2sMfXuD47X628QnlWoj+XwJz4pSRYnQ55nVzb7gSajC2MxNaJdJTL\n"
    "cNxBYz7Fqtl0eN5JVvO7U24ZLJ4EmspLodXifiZSPY1lc2rDa7f6sQG8E+jZLMTW\n"
    "CoPJSz6oLD/iXgOMiic+WAD3z/X7PDLurn0jKVuBQFMv1UTTWELRPaxRi32kpvtb\n"
    "U2fNMEcT/r76pvOUoIPMp1/Mx/mD1kSSXD+XzEO6fx/OjyRFHu6yXt7X7aJ1WxgN\n"
    "Zvja7PPkJ4ZDpULRpqarC2U4bX6lAFjZkG1FFHt/0TK2fliMPGRstbRSCjJ2LQqH\n"
    "SIV/I8iY4oNXE4OyWWxdQEWUq7A25jBzspWqJ6QCiDd1m9UATy+T1Oroj4MDtDoj\n"
    "IObEPlcYg4W3gwnMkFaiaNgzRiFP004EPVJLD2P3nablm5btXfFN7QTtEu/SrIM8\n"
    "HLEncjxio1VLt7vQPBNxYIE22+XuYU2ZQ/J+xGxaHszdZymRuKnGMMeAMIWGkED8\n"
    "Umy/k8dqC4faBWOqp9Urgkl7JCsDD2tdjAdIoaDbfJ1fI4+LqX8zcGbUPn8sCGiS\n"
    "ZO+T2HtKOcotwWHE254aSSl+m/CSw5R+POtKyXSKGT753tyqoAK/sEe8U63AXo9p\n"
    "ZWiMSjytTYKFL3S8fxzo3hYeCb3I2tytNqDlnFk5tnA11KdUgEK6oMxV06nvnFqe\n"
    "Vr4tJIwj+mPq6z2zbZYnB2IgqJ8t4qWr7+RkOxaYaYfMsPlVNsNc1+98sORtfpZg\n"
    "rCUWieM4LmaJyHiuw+VdH+evVZxc484jmFXZtDmJutMX09NkqRDGTFZUDfLSyfMQ\n"
    "diwScHhGk2mUK16c8d23ynls5pmpTwpgj84j8GrZfLsnqhf3oiKZAbRTsHMNXJVw\n"
    "DYTDacoG33obu3OkOtboca3zxHvzMGbsaiEy8lnf9bpk7kwsDToV3j5S7l3bqA2F\n"
    "8O8JU0zxynn8mo1gdWq6D3HcKi/JHN+k6j09x+4mEvPtBaQdrmUOUMAHr72F5nLh\n"
    "kE5FC33UXeODylKba+q6WrsgDpmgP2/QPPJ8KenqG1ejdVUzJwEg1BYb9osbgUND\n"
    "hxTQLRYWLaEc60pos+arQdXBtKgGnkeeA/LM8bKR/q7hH+hFQ2pqcIg96Gj0DVk8\n"
    "I+2lytxWetwG4cxZTRFJSg==\n"
    "-----END PRIVATE KEY-----\n"
)


def token(claims):
    return jwt.encode(claims, PRIVATE_KEY, algorithm="RS256")
